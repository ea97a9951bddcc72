import { httpRoute } from '#platform/http/http-route.ts';
import { configuredPlans, usagePlanSettings } from '#platform/wiring/usage-plans.ts';

const plans = configuredPlans();
const mode = usagePlanSettings()?.mode ?? 'local';

/** GET /v1/plans — the configured usage plans, for the CLI's and the dashboard's choices. */
export const handler = httpRoute({}, async () => ({
  status: 200,
  body: { mode, items: Object.entries(plans).map(([name, plan]) => ({ name, ...plan })) },
}));
