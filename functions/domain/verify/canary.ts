import { DETAIL_TYPES, type LatchkeyEvent } from '#domain/events/lifecycle-events.ts';
import type { KeyRecord } from '#domain/keys/key.ts';

/** Where a canary's secret was presented. */
export interface CanarySighting {
  readonly sourceIp?: string;
  readonly userAgent?: string;
  /** `METHOD /path` of the request that carried it, or the management route that checked it. */
  readonly route: string;
  readonly at: string;
}

/**
 * "API Key Canary Triggered": someone named a planted canary's key ID, with its secret or any
 * other. The detail names the key and the request, never the secret; the refusal the caller saw
 * was INVALID_SECRET, as for a live key's wrong secret.
 */
export function canaryEvent(key: KeyRecord, sighting: CanarySighting): LatchkeyEvent {
  return {
    source: 'latchkey',
    detailType: DETAIL_TYPES.canaryTriggered,
    detail: {
      version: '1',
      keyId: key.keyId,
      name: key.name,
      owner: key.owner,
      type: key.type,
      environment: key.environment,
      status: key.status,
      at: sighting.at,
      actor: 'canary',
      sourceIp: sighting.sourceIp ?? null,
      userAgent: sighting.userAgent ?? null,
      route: sighting.route,
    },
  };
}
