import { notFound } from '#domain/shared/errors.ts';
import type { KeyStore, QuotaCounter } from '#domain/shared/ports.ts';
import { type Plans, type QuotaView, quotaView, quotaWindow } from './plans.ts';

export type KeyQuota = { readonly keyId: string; readonly shared: boolean } & (
  | QuotaView
  | { readonly plan: null }
);

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
