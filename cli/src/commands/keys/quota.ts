import type { KeyQuota } from '@latchkey/client/types';
import type { Ctx } from '../../lib/context.ts';
import type { Style } from '../../lib/output.ts';
import { time } from '../../lib/output.ts';
import { keySubject } from './flags.ts';

/** GET /v1/keys/{keyId}/quota, for the people's view of `keys get` and `keys usage`. */
export async function fetchQuota(ctx: Ctx, keyId: string): Promise<KeyQuota> {
  const api = await ctx.api();
  return api.call((c) => c.keys.quota(keyId), keySubject(keyId));
}

/** "free: 820 of 1000 this DAY (180 left, resets in 3 hours)", or undefined without a plan. */
export function quotaLine(style: Style, quota: KeyQuota): string | undefined {
  if (!quota.plan) return undefined;
  if (quota.limit === null || quota.limit === undefined) return `${quota.plan}: no quota (rate limits only)`;
  const shared = quota.shared ? ', shared by every key on the plan' : '';
  return `${quota.plan}: ${quota.used} of ${quota.limit} this ${String(quota.period).toLowerCase()}${shared} (${quota.remaining} left, resets ${time(style, quota.resetsAt ?? null)})`;
}
