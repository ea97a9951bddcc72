import {
  type APIGatewayClient,
  CreateApiKeyCommand,
  CreateUsagePlanKeyCommand,
  DeleteApiKeyCommand,
  GetApiKeysCommand,
  GetUsageCommand,
  NotFoundException,
} from '@aws-sdk/client-api-gateway';
import type { UsagePlanSettings } from '#config/usage-plans.ts';
import { KEY_ID_SHAPE } from '#domain/keys/secret.ts';
import type { GatewayKey, GatewayKeys } from '#domain/shared/ports.ts';

const day = (d: Date) => d.toISOString().slice(0, 10);

/** API Gateway's API keys and usage plans (the GatewayKeys port). */
export class ApiGatewayKeys implements GatewayKeys {
  constructor(
    private readonly client: APIGatewayClient,
    private readonly settings: UsagePlanSettings,
  ) {}

  private usagePlanId(plan: string): string {
    const id = this.settings.plans[plan]?.usagePlanId;
    if (!id) throw new Error(`usage plans: plan "${plan}" has no usage plan in this deployment`);
    return id;
  }

  async create(keyId: string): Promise<GatewayKey> {
    const out = await this.client.send(
      new CreateApiKeyCommand({
        name: `${this.settings.keyPrefix}${keyId}`,
        description: `Latchkey key ${keyId} (usage plan key; managed by Latchkey)`,
        enabled: true,
      }),
    );
    if (!out.id || !out.value) throw new Error('usage plans: CreateApiKey answered without an id or value');
    return { id: out.id, value: out.value };
  }

  async attach(apiKeyId: string, plan: string): Promise<void> {
    await this.client.send(
      new CreateUsagePlanKeyCommand({
        usagePlanId: this.usagePlanId(plan),
        keyId: apiKeyId,
        keyType: 'API_KEY',
      }),
    );
  }

  async remove(apiKeyId: string): Promise<void> {
    try {
      await this.client.send(new DeleteApiKeyCommand({ apiKey: apiKeyId }));
    } catch (error) {
      if (!(error instanceof NotFoundException)) throw error;
    }
  }

  async list(): Promise<{ id: string; keyId: string }[]> {
    const prefix = this.settings.keyPrefix;
    const found: { id: string; keyId: string }[] = [];
    let position: string | undefined;
    do {
      const out = await this.client.send(new GetApiKeysCommand({ nameQuery: prefix, limit: 500, position }));
      for (const item of out.items ?? []) {
        // Only names this service makes (the prefix, then a key ID): anything else is not ours to delete.
        const keyId = item.name?.startsWith(prefix) ? item.name.slice(prefix.length) : undefined;
        if (item.id && keyId && KEY_ID_SHAPE.test(keyId)) found.push({ id: item.id, keyId });
      }
      position = out.position;
    } while (position);
    return found;
  }

  async used(apiKeyId: string, plan: string, from: Date, to: Date): Promise<number> {
    let used = 0;
    let position: string | undefined;
    do {
      const out = await this.client.send(
        new GetUsageCommand({
          usagePlanId: this.usagePlanId(plan),
          keyId: apiKeyId,
          startDate: day(from),
          endDate: day(to),
          position,
        }),
      );
      // items: { <api key id>: [[used, remaining], …] }, one pair per day.
      for (const [usedThatDay] of out.items?.[apiKeyId] ?? []) used += usedThatDay ?? 0;
      position = out.position;
    } while (position);
    return used;
  }
}
