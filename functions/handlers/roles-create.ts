import { createRoleBody } from '#domain/shared/schemas.ts';
import { httpRoute } from '#platform/http/http-route.ts';
import { roleService } from '#platform/wiring/management.ts';

const roles = roleService();

/** POST /v1/roles — 409 when the name is taken or built in. */
export const handler = httpRoute({ body: createRoleBody }, async ({ body, ctx }) => {
  const { name, ...input } = body;
  const role = await roles.create(name, input, ctx);
  return { status: 201, body: role, headers: { location: `/v1/roles/${name}`, etag: `"${role.version}"` } };
});
