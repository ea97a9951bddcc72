import type { LatchkeyEvent } from '#domain/events/lifecycle-events.ts';
import type { KeyRecord } from '#domain/keys/key.ts';
import { newKeyId, newSecret } from '#domain/keys/secret.ts';
import { hashSecret, type PepperSet } from '#domain/keys/secret-hash.ts';
import type { EventPublisher } from '#domain/shared/ports.ts';

/** A stored key record and its secret, hashed under `peppers`, for tests and the bench. */
export function storedKey(peppers: PepperSet, overrides: Partial<KeyRecord> = {}) {
  const keyId = overrides.keyId ?? newKeyId();
  const secret = newSecret(keyId, overrides.environment ?? 'production');
  const record: KeyRecord = {
    keyId,
    name: 'orders service',
    owner: 'team-orders',
    type: 'service',
    scope: { workspaceId: 'ws-1' },
    roles: ['read'],
    permissions: ['orders:write'],
    environment: 'production',
    expiresAt: null,
    status: 'active',
    createdAt: '2026-01-01T00:00:00.000Z',
    createdBy: 'test',
    updatedAt: '2026-01-01T00:00:00.000Z',
    lastUsedAt: null,
    rotationDueAt: '2026-04-01T00:00:00.000Z',
    rotationDue: false,
    version: 1,
    slotHeld: true,
    ...hashSecret(secret, peppers),
    ...overrides,
  };
  return { record, secret };
}

/**
 * EventBridge that refuses the first `failures` publishes (calling `during` before each refusal),
 * then takes them: what it took is in `published`.
 */
export function flakyPublisher(failures = 0, during?: () => Promise<unknown>) {
  const published: LatchkeyEvent[] = [];
  const publisher: EventPublisher = {
    async publish(events) {
      if (failures > 0) {
        failures--;
        await during?.();
        throw Object.assign(new Error('EventBridge is down'), { name: 'InternalException' });
      }
      published.push(...events);
    },
  };
  return { publisher, published };
}
