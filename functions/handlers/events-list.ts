import { tableName } from '#config/settings.ts';
import { eventsQuery } from '#domain/shared/schemas.ts';
import { localEventLog } from '#platform/aws/event-publisher.ts';
import { httpRoute } from '#platform/http/http-route.ts';

const events = localEventLog(tableName('events'));

/** GET /v1/events — local mode: the lifecycle events that would go to EventBridge, newest first. */
export const handler = httpRoute({ query: eventsQuery }, async ({ query }) => ({
  status: 200,
  body: await events.list(query.limit, query.cursor),
}));
