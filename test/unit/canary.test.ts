import { describe, expect, it } from 'vitest';
import { authorizerConfig } from '#config/authorizer.ts';
import type { LatchkeyEvent } from '#domain/events/lifecycle-events.ts';
import { newKeyId, newSecret } from '#domain/keys/secret.ts';
import { parsePepperSet } from '#domain/keys/secret-hash.ts';
import { type AuthorizerEvent, createAuthorizer } from '#platform/http/authorizer-events.ts';
import { canaryAlarm } from '#platform/observability/canary-metric.ts';
import { httpEvent, requestEvent } from '../support/authorizer-events.ts';
import { storedKey } from '../support/fixtures.ts';

const peppers = parsePepperSet(JSON.stringify({ version: '1', pepper: 'k'.repeat(40) }));

describe('the authorizer and a canary', () => {
  const canary = storedKey(peppers, { type: 'canary', name: 'trap' });
  const live = storedKey(peppers, { name: 'live' });
  const records = new Map([canary, live].map((k) => [k.record.keyId, k.record]));

  function authorizer(httpResponse?: 'simple' | 'iam') {
    const published: LatchkeyEvent[] = [];
    const counted: string[] = [];
    const observed: string[] = [];
    const authorize = createAuthorizer(
      {
        getKey: async (id) => records.get(id),
        peppers: async () => peppers,
        now: () => new Date(),
        customRoles: async () => new Map(),
        observe: (decision) => observed.push(decision.code),
        fault: (error) => {
          throw error;
        },
        record: () => {
          throw new Error('a refused secret is counted against no key');
        },
        canary: canaryAlarm(
          () => ({ publish: async (events) => void published.push(...events) }),
          () => void counted.push('CanaryTriggered'),
        ),
      },
      authorizerConfig(httpResponse ? { LATCHKEY_HTTP_API_RESPONSE: httpResponse } : {}),
    );
    return { authorize, published, counted, observed };
  }

  const rest = (key: string) =>
    requestEvent({
      method: 'GET',
      path: '/orders/7',
      headers: { authorization: `Bearer ${key}`, 'user-agent': 'scanner/2' },
    });
  /** A secret naming `keyId`, with a valid checksum and a made-up secret part. */
  const forged = (keyId: string) => newSecret(keyId, 'production');

  it('answers any secret naming a canary as a live key’s wrong secret, and trips on each', async () => {
    const { authorize, published, counted, observed } = authorizer();
    const refusal = async (event: AuthorizerEvent) =>
      authorize(event).catch((error: Error & { code?: string }) => ({
        message: error.message,
        code: error.code,
      }));
    const liveWrong = await refusal(rest(forged(live.record.keyId)));
    const canaryForged = await refusal(rest(forged(canary.record.keyId)));
    const canaryReal = await refusal(rest(canary.secret));
    expect(liveWrong).toEqual({ message: 'Unauthorized', code: 'INVALID_SECRET' });
    expect(canaryForged).toEqual(liveWrong);
    expect(canaryReal).toEqual(liveWrong);
    expect(await refusal(rest(newSecret(newKeyId(), 'production')))).toEqual({
      message: 'Unauthorized',
      code: 'NOT_FOUND',
    });
    expect(observed).toEqual(['INVALID_SECRET', 'INVALID_SECRET', 'INVALID_SECRET', 'NOT_FOUND']);
    // Counted at once (on the check's own metric line); the event only after the answer.
    expect(counted).toEqual(['CanaryTriggered', 'CanaryTriggered']);
    expect(published).toEqual([]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(published).toHaveLength(2);
    for (const event of published) {
      expect(event).toEqual({
        source: 'latchkey',
        detailType: 'API Key Canary Triggered',
        detail: expect.objectContaining({
          keyId: canary.record.keyId,
          route: 'GET /orders/7',
          userAgent: 'scanner/2',
          sourceIp: expect.any(String),
          at: expect.any(String),
        }),
      });
    }
    expect(JSON.stringify(published)).not.toContain(canary.secret);
  });

  it('gives an HTTP API the same answer for a canary as for a live key’s wrong secret', async () => {
    for (const mode of ['iam', 'simple'] as const) {
      const { authorize, counted } = authorizer(mode);
      const http = (key: string) =>
        httpEvent({ method: 'GET', path: '/orders/7', headers: { authorization: `Bearer ${key}` } });
      const liveWrong = await authorize(http(forged(live.record.keyId)));
      expect(await authorize(http(forged(canary.record.keyId)))).toEqual(liveWrong);
      expect(await authorize(http(canary.secret))).toEqual(liveWrong);
      expect(counted).toHaveLength(2);
    }
  });
});
