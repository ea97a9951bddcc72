import { z } from 'zod';
import { pageOf, type Same, timestamp } from '#domain/shared/answers.ts';
import { DETAIL_TYPES, type KeyEventDetail } from './lifecycle-events.ts';

/**
 * A lifecycle event as GET /v1/events lists it (local mode; in AWS the same events go to
 * EventBridge). Kept apart from lifecycle-events.ts, which the authorizer bundles.
 */
export const keyEventDetailSchema = z
  .looseObject({
    version: z.literal('1'),
    keyId: z.string(),
    name: z.string(),
    owner: z.string(),
    type: z.string(),
    environment: z.string(),
    status: z.string(),
    at: timestamp,
    actor: z.string(),
  })
  .meta({
    id: 'KeyEventDetail',
    description: 'The key as it was, and who acted; each event type adds its own fields. Never a secret.',
  });

export const lifecycleEventSchema = z
  .object({
    id: z.string(),
    time: timestamp,
    source: z.literal('latchkey'),
    detailType: z.enum(DETAIL_TYPES),
    detail: keyEventDetailSchema,
  })
  .meta({ id: 'LifecycleEvent' });

export const eventPageSchema = pageOf(lifecycleEventSchema, 'EventPage', 'lifecycle events, newest first');

true satisfies Same<KeyEventDetail, z.output<typeof keyEventDetailSchema>>;
