import { importKeys, importKeysBody } from '#domain/keys/key-import.ts';
import { httpRoute } from '#platform/http/http-route.ts';
import { importDeps } from '#platform/wiring/management.ts';

const deps = importDeps();

/** POST /v1/keys/import — stores existing secrets as keys (their HMAC only); never echoes a secret. */
export const handler = httpRoute({ body: importKeysBody }, async ({ body, ctx }) => ({
  status: 201,
  body: await importKeys(body, ctx, deps),
}));
