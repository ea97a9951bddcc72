import { z } from 'zod';

/**
 * LATCHKEY_USAGE_PLANS, as the construct writes it and the management functions read it: the
 * mode, each plan's usage plan ID and, in `shared` mode, the plan's one API key (its ID, and the
 * ARN of the secret that holds its value: the value is never in an environment variable).
 */
const gatewayPlan = z.strictObject({
  usagePlanId: z.string().min(1),
  apiKeyId: z.string().min(1).optional(),
  valueSecretArn: z.string().min(1).optional(),
});
export const usagePlanSettingsSchema = z.strictObject({
  mode: z.enum(['shared', 'perKey']),
  /** Prefix of the API key names this service makes (perKey): whose keys the sweep may delete. */
  keyPrefix: z.string().min(1),
  plans: z.record(z.string(), gatewayPlan),
});
export type UsagePlanSettings = z.infer<typeof usagePlanSettingsSchema>;
