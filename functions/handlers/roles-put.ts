import { putRoleBody, roleNamePath } from '#domain/shared/schemas.ts';
import { httpRoute, parseIfMatch } from '#platform/http/http-route.ts';
import { roleService } from '#platform/wiring/management.ts';

const roles = roleService();

/** PUT /v1/roles/{name} — replaces description and permissions; `If-Match` optional. */
export const handler = httpRoute(
  { path: roleNamePath, body: putRoleBody },
  async ({ path, body, headers, ctx }) => {
    const role = await roles.update(path.name, body, parseIfMatch(headers['if-match']), ctx);
    return { status: 200, body: role, headers: { etag: `"${role.version}"` } };
  },
);
