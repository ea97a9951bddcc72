import { httpRoute } from '#platform/http/http-route.ts';
import { roleService } from '#platform/wiring/management.ts';

const roles = roleService();

/** GET /v1/roles — built-in and custom roles. */
export const handler = httpRoute({}, async () => ({ status: 200, body: { items: await roles.list() } }));
