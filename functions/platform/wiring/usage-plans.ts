import { settings } from '#config/settings.ts';
import { type UsagePlanSettings, usagePlanSettingsSchema } from '#config/usage-plans.ts';
import { type Plans, parsePlans } from '#domain/plans/plans.ts';

/**
 * Usage plans, read once at init. `LATCHKEY_PLANS` (locally, and set by the construct from its
 * `plans` prop) holds the plans themselves; `LATCHKEY_USAGE_PLANS` (set by the construct only)
 * says how they reach API Gateway: the mode, each plan's usage plan ID and, in `shared` mode,
 * the plan's one API key (its ID, and the ARN of the secret that holds its value: the value is
 * never in an environment variable).
 */
let plans: Plans | undefined;
export const configuredPlans = (): Plans => {
  plans ??= parsePlans(settings().LATCHKEY_PLANS);
  return plans;
};

let gateway: UsagePlanSettings | null | undefined;
/** What the construct told this function about its API Gateway usage plans; null locally. */
export function usagePlanSettings(): UsagePlanSettings | null {
  if (gateway !== undefined) return gateway;
  const raw = settings().LATCHKEY_USAGE_PLANS;
  if (!raw) {
    gateway = null;
    return gateway;
  }
  const parsed = usagePlanSettingsSchema.safeParse(JSON.parse(raw));
  if (!parsed.success) {
    throw new Error(
      `configuration: LATCHKEY_USAGE_PLANS is invalid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  gateway = parsed.data;
  return gateway;
}
