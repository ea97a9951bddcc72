import { describe, expect, it } from 'vitest';
import type { KeyRecord } from '#domain/keys/key.ts';
import { KeyService } from '#domain/keys/key-service.ts';
import { parsePepperSet } from '#domain/keys/secret-hash.ts';
import type { KeyStore } from '#domain/shared/ports.ts';
import { storedKey } from '../support/fixtures.ts';

const NOW = Date.parse('2026-12-01T12:00:00.000Z');
const v1 = parsePepperSet(JSON.stringify({ version: '1', pepper: 'a'.repeat(43) }));
/** The document after version 1 was retired: only version 2 is left. */
const v2Only = parsePepperSet(JSON.stringify({ version: '2', pepper: 'b'.repeat(43) }));

function service(record: KeyRecord) {
  const writes: KeyRecord[] = [];
  const store = {
    getKey: async () => record,
    updateKey: async (_current: KeyRecord, next: KeyRecord) => void writes.push(next),
  } as unknown as KeyStore;
  const keys = new KeyService({
    store,
    peppers: async () => v2Only,
    roles: { missingRoles: async () => [] },
    now: () => new Date(NOW),
    ownerLimit: 100,
    events: { publish: async () => undefined },
  });
  return { keys, writes };
}

describe('a key under a retired pepper version', () => {
  it('is not brought back to life by a new expiry: it could never verify (409), and nothing is written', async () => {
    // Expired a month ago, its owner slot given back by the sweep: it counted as no live key of version 1.
    const { record } = storedKey(v1, {
      expiresAt: new Date(NOW - 30 * 86_400_000).toISOString(),
      slotHeld: false,
    });
    const { keys, writes } = service(record);
    const later = new Date(NOW + 30 * 86_400_000).toISOString();
    await expect(
      keys.update(record.keyId, { expiresAt: later }, undefined, { actor: 'ops', requestId: 'r' }),
    ).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/pepper version 1.*retired/),
    });
    expect(writes).toEqual([]);
  });

  it('can still be renamed while it stays expired', async () => {
    const { record } = storedKey(v1, {
      expiresAt: new Date(NOW - 86_400_000).toISOString(),
      slotHeld: false,
    });
    const { keys, writes } = service(record);
    await keys.update(record.keyId, { name: 'old integration' }, undefined, { actor: 'ops', requestId: 'r' });
    expect(writes.map((w) => w.name)).toEqual(['old integration']);
  });
});
