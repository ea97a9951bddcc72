import { roleNamePath } from '#domain/shared/schemas.ts';
import { httpRoute } from '#platform/http/http-route.ts';
import { roleService } from '#platform/wiring/management.ts';

const roles = roleService();

/** DELETE /v1/roles/{name} — 409 while keys still use it, saying how many. */
export const handler = httpRoute({ path: roleNamePath }, async ({ path, ctx }) => {
  await roles.delete(path.name, ctx);
  return { status: 204 };
});
