import { settings } from '#config/settings.ts';
import { httpRoute } from '#platform/http/http-route.ts';

/** Local mode is the local server with its embedded (or given) DynamoDB; anything else is AWS. */
const mode = settings().LATCHKEY_DYNAMODB_ENDPOINT ? 'local' : 'aws';

/** GET /v1/whoami — the caller as the management API sees it: the actor written to the audit trail. */
export const handler = httpRoute({}, async ({ ctx }) => ({
  status: 200,
  body: { actor: ctx.actor, mode },
}));
