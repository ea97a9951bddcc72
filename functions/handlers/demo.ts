import { httpRoute } from '#platform/http/http-route.ts';

/** The demo backend behind the authorizer: echoes what the authorizer passed on. */
export const handler = httpRoute(
  {},
  async ({ event }) => ({
    status: 200,
    body: {
      message: 'Authorized by Latchkey',
      method: event.httpMethod,
      path: event.path,
      authorizer: event.requestContext.authorizer,
    },
  }),
  { anonymous: true },
);
