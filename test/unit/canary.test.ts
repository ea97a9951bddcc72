import { describe, expect, it } from 'vitest';
import type { LatchkeyEvent } from '#domain/events/lifecycle-events.ts';
import { newKeyId, newSecret } from '#domain/keys/secret.ts';
import { parsePepperSet } from '#domain/keys/secret-hash.ts';
import { createAuthorizer } from '#platform/http/authorizer-events.ts';
import { canaryAlarm } from '#platform/observability/canary-metric.ts';
import { authorizerConfig } from '#platform/wiring/authorizer-config.ts';
import { requestEvent } from '../support/authorizer-events.ts';
import { storedKey } from '../support/fixtures.ts';

const peppers = parsePepperSet(JSON.stringify({ version: '1', pepper: 'k'.repeat(40) }));

describe('the authorizer and a canary', () => {
  it('refuses it as NOT_FOUND, counts it at once, and publishes its event only after answering', async () => {
    const { record, secret } = storedKey(peppers, { type: 'canary', name: 'trap' });
    const published: LatchkeyEvent[] = [];
    let counted = 0;
    const observed: string[] = [];
    const authorize = createAuthorizer(
      {
        getKey: async (id) => (id === record.keyId ? record : undefined),
        peppers: async () => peppers,
        now: () => new Date(),
        customRoles: async () => new Map(),
        observe: (decision) => observed.push(decision.code),
        fault: (error) => {
          throw error;
        },
        record: () => {
          throw new Error('a canary is no key: nothing is counted against it');
        },
        canary: canaryAlarm(
          () => ({ publish: async (events) => void published.push(...events) }),
          () => void counted++,
        ),
      },
      authorizerConfig({}),
    );
    const event = (key: string) =>
      requestEvent({
        method: 'GET',
        path: '/orders/7',
        headers: { authorization: `Bearer ${key}`, 'user-agent': 'scanner/2' },
      });
    const refusal = async (key: string) =>
      authorize(event(key)).catch((error: Error & { code?: string }) => error);
    const canary = await refusal(secret);
    const unknown = await refusal(newSecret(newKeyId(), 'production'));
    expect(canary).toEqual(unknown);
    expect(canary).toMatchObject({ message: 'Unauthorized', code: 'NOT_FOUND' });
    expect(observed).toEqual(['NOT_FOUND', 'NOT_FOUND']);
    expect(counted).toBe(1);
    expect(published).toEqual([]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(published).toEqual([
      {
        source: 'latchkey',
        detailType: 'API Key Canary Triggered',
        detail: expect.objectContaining({
          keyId: record.keyId,
          route: 'GET /orders/7',
          userAgent: 'scanner/2',
          sourceIp: expect.any(String),
          at: expect.any(String),
        }),
      },
    ]);
    expect(JSON.stringify(published)).not.toContain(secret);
  });
});
