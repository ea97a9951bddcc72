import { describe, expect, it } from 'vitest';
import { OPERATIONS } from '../../functions/contract/operations.ts';
import { HANDLER_MODULES } from '../../functions/handler-modules.ts';
import type { RouteSchemas } from '../../functions/platform/http/http-route.ts';
import type { HandlerName } from '../../functions/routes.ts';
import { useLambdaEnv } from '../support/lambda.ts';

useLambdaEnv({ LATCHKEY_PORTAL_URL: 'https://portal.example.test' });

/**
 * The document's request schemas are the very ones each handler validates with (the schemas
 * `httpRoute` was given), so a handler moved to another schema cannot leave the document behind.
 */
describe("the contract's request schemas", () => {
  it('are the schemas each handler validates its body, query and path with', async () => {
    for (const [name, operation] of Object.entries(OPERATIONS)) {
      const { handler } = await HANDLER_MODULES[name as HandlerName]();
      const schemas = (handler as { schemas?: RouteSchemas }).schemas;
      expect(schemas, `${name} is an httpRoute`).toBeDefined();
      // A body read as it was signed is parsed in the handler, not by the route.
      expect(schemas?.body, `${name}: body`).toBe(operation.rawBody ? undefined : operation.body);
      expect(schemas?.query, `${name}: query`).toBe(operation.query);
      expect(schemas?.path, `${name}: path`).toBe(operation.path);
    }
  });
});
