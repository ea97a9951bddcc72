import { roleService } from '#platform/deps.ts';
import { httpRoute } from '#platform/http.ts';

const roles = roleService();

/** GET /v1/roles — built-in and custom roles. */
export const handler = httpRoute({}, async () => ({ status: 200, body: { items: await roles.list() } }));
