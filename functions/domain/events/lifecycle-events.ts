import type { ApiKey } from '#domain/keys/key.ts';

/**
 * Lifecycle events, as published to EventBridge (`source: "latchkey"`) and, locally, to
 * GET /v1/events. Every detail carries `version` and never a secret or a hash.
 */
export const DETAIL_TYPES = {
  created: 'API Key Created',
  updated: 'API Key Updated',
  enabled: 'API Key Enabled',
  disabled: 'API Key Disabled',
  revoked: 'API Key Revoked',
  rotated: 'API Key Rotated',
  deleted: 'API Key Deleted',
  rotationDue: 'API Key Rotation Due',
  unusualActivity: 'API Key Unusual Activity',
  leaked: 'API Key Leaked',
  expiring: 'API Key Expiring',
  unused: 'API Key Unused',
  disabledUnused: 'API Key Disabled (Unused)',
  stillInUse: 'API Key Still In Use',
  quotaThreshold: 'API Key Quota Threshold',
  canaryTriggered: 'API Key Canary Triggered',
} as const;
export type DetailType = (typeof DETAIL_TYPES)[keyof typeof DETAIL_TYPES];

export interface KeyEventDetail {
  readonly version: '1';
  readonly keyId: string;
  readonly name: string;
  readonly owner: string;
  readonly type: string;
  readonly environment: string;
  readonly status: string;
  readonly at: string;
  readonly actor: string;
  readonly [extra: string]: unknown;
}

export interface LatchkeyEvent {
  readonly source: 'latchkey';
  readonly detailType: DetailType;
  readonly detail: KeyEventDetail;
}

export function keyEvent(
  detailType: DetailType,
  key: ApiKey,
  at: string,
  actor: string,
  extra: Record<string, unknown> = {},
): LatchkeyEvent {
  return {
    source: 'latchkey',
    detailType,
    detail: {
      version: '1',
      keyId: key.keyId,
      name: key.name,
      owner: key.owner,
      type: key.type,
      environment: key.environment,
      status: key.status,
      at,
      actor,
      ...extra,
    },
  };
}

const ACTION_EVENTS: Record<string, DetailType> = {
  'key.created': DETAIL_TYPES.created,
  'key.updated': DETAIL_TYPES.updated,
  'key.enabled': DETAIL_TYPES.enabled,
  'key.disabled': DETAIL_TYPES.disabled,
  'key.revoked': DETAIL_TYPES.revoked,
  'key.rotated': DETAIL_TYPES.rotated,
  'key.deleted': DETAIL_TYPES.deleted,
};
export const eventForAction = (action: string): DetailType | undefined => ACTION_EVENTS[action];

/**
 * Publishes events once their change has committed. A failure goes to `onError` and is not
 * thrown: the change stands, and its audit record says what happened.
 */
export async function publishQuietly(
  events: readonly LatchkeyEvent[],
  publisher: { publish(events: readonly LatchkeyEvent[]): Promise<void> },
  onError?: (error: unknown) => void,
): Promise<void> {
  try {
    await publisher.publish(events);
  } catch (error) {
    onError?.(error);
  }
}
