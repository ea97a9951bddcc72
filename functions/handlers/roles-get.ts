import { roleNamePath } from '#domain/shared/schemas.ts';
import { httpRoute } from '#platform/http/http-route.ts';
import { roleService } from '#platform/wiring/management.ts';

const roles = roleService();

/** GET /v1/roles/{name} */
export const handler = httpRoute({ path: roleNamePath }, async ({ path }) => {
  const role = await roles.get(path.name);
  const headers: Record<string, string> = role.version ? { etag: `"${role.version}"` } : {};
  return { status: 200, body: role, headers };
});
