import { z } from 'zod';
import { notFound } from '#domain/shared/errors.ts';
import type { KeyStore, QuotaCounter } from '#domain/shared/ports.ts';
import { type Plans, quotaView, quotaViewSchema, quotaWindow } from './plans.ts';

/** GET /v1/keys/{keyId}/quota: the key's plan and its quota used this period, or no plan. */
export const keyQuotaSchema = z
  .union([
    quotaViewSchema.extend({
      keyId: z.string(),
      shared: z.boolean().meta({ description: "The count is the whole plan's (usage plan mode `shared`)." }),
    }),
    z.object({ keyId: z.string(), shared: z.literal(false), plan: z.null() }),
  ])
  .meta({ id: 'KeyQuota' });
export type KeyQuota = z.output<typeof keyQuotaSchema>;

/** A key's plan and how much of its quota it has used this period. */
export class QuotaService {
  constructor(
    private readonly deps: {
      readonly store: Pick<KeyStore, 'getKey'>;
      readonly plans: Plans;
      readonly counter: QuotaCounter;
      readonly now: () => Date;
    },
  ) {}

  async quota(keyId: string): Promise<KeyQuota> {
    const record = await this.deps.store.getKey(keyId);
    if (!record) throw notFound(`key ${keyId}`);
    const now = this.deps.now();
    const plan = record.plan ? this.deps.plans[record.plan] : undefined;
    if (!record.plan || !plan) return { keyId, plan: null, shared: false };
    if (!plan.quota) return { keyId, shared: false, ...quotaView(record.plan, plan, 0, now) };
    const window = quotaWindow(plan.quota.period, now);
    const { used, shared } = await this.deps.counter.used(record, record.plan, window.start, now);
    return { keyId, shared, ...quotaView(record.plan, plan, used, now) };
  }
}
