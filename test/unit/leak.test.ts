import { generateKeyPairSync } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LatchkeyEvent } from '#domain/events/lifecycle-events.ts';
import { type KeyRecord, toApiKey } from '#domain/keys/key.ts';
import { parsePepperSet } from '#domain/keys/secret-hash.ts';
import { LeakService } from '#domain/leak/leak-service.ts';
import type { RequestContext } from '#domain/shared/request-context.ts';
import {
  SigningKeySource,
  SigningKeysUnavailable,
  verifyGitHubSignature,
} from '#platform/http/github-keys.ts';
import { storedKey } from '../support/fixtures.ts';
import { sha256, signedHeaders, signingKey } from '../support/github-keys.ts';
import { context, restEvent, useLambdaEnv } from '../support/lambda.ts';

/** The signing key cache (with a fake clock and fetch) and the handler's faults (with SDK mocks). */
const listOf = (...keys: { identifier: string; publicPem: string }[]) =>
  JSON.stringify({
    public_keys: keys.map((k) => ({ key_identifier: k.identifier, key: k.publicPem, is_current: true })),
  });

function fakeGitHub(initial: string) {
  const state = { body: initial, status: 200, calls: 0, fail: false };
  const fetch = (async () => {
    state.calls++;
    if (state.fail) throw new TypeError('fetch failed');
    return new Response(state.body, { status: state.status });
  }) as typeof globalThis.fetch;
  return { state, fetch };
}

function source(fetch: typeof globalThis.fetch, clock: { now: number }) {
  return new SigningKeySource({
    url: 'http://127.0.0.1:1/keys',
    maxAgeMs: 60_000,
    minRefetchMs: 5_000,
    timeoutMs: 1000,
    fetch,
    now: () => clock.now,
  });
}

describe('the signing key cache', () => {
  it('fetches once per max age, and once more for an unknown identifier, at most every minRefetch', async () => {
    const a = signingKey();
    const github = fakeGitHub(listOf(a));
    const clock = { now: 0 };
    const keys = source(github.fetch, clock);
    expect(await keys.key(a.identifier)).toBeDefined();
    expect(await keys.key(a.identifier)).toBeDefined();
    expect(github.state.calls).toBe(1);

    clock.now = 10_000;
    expect(await keys.key('f'.repeat(64))).toBeUndefined();
    expect(github.state.calls).toBe(2);
    // Made-up identifiers do not make it fetch again within minRefetch.
    expect(await keys.key('e'.repeat(64))).toBeUndefined();
    expect(github.state.calls).toBe(2);

    // GitHub rotates: the new identifier is fetched once, then cached.
    const b = signingKey();
    github.state.body = listOf(a, b);
    clock.now = 16_000;
    expect(await keys.key(b.identifier)).toBeDefined();
    expect(await keys.key(b.identifier)).toBeDefined();
    expect(github.state.calls).toBe(3);

    clock.now = 16_000 + 60_000;
    await keys.key(a.identifier);
    expect(github.state.calls).toBe(4);
  });

  it('fetches at most once for one lookup: a stale list refreshed for it is not refetched for an unknown identifier', async () => {
    const github = fakeGitHub(listOf(signingKey()));
    const clock = { now: 0 };
    const keys = new SigningKeySource({
      url: 'http://127.0.0.1:1/k',
      maxAgeMs: 1000,
      minRefetchMs: 0,
      timeoutMs: 1000,
      fetch: github.fetch,
      now: () => clock.now,
    });
    expect(await keys.key('unknown')).toBeUndefined();
    expect(github.state.calls).toBe(1);
    clock.now = 5000;
    expect(await keys.key('unknown')).toBeUndefined();
    expect(github.state.calls).toBe(2);
    expect(await keys.key('unknown')).toBeUndefined();
    expect(github.state.calls).toBe(3);
  });

  it('shares one fetch among concurrent requests', async () => {
    const a = signingKey();
    const github = fakeGitHub(listOf(a));
    const keys = source(github.fetch, { now: 0 });
    const found = await Promise.all(Array.from({ length: 20 }, () => keys.key(a.identifier)));
    expect(found.every(Boolean)).toBe(true);
    expect(github.state.calls).toBe(1);
  });

  it('keeps the keys it has when a refresh fails; with none, it is unavailable, and does not retry at once', async () => {
    const a = signingKey();
    const github = fakeGitHub(listOf(a));
    const clock = { now: 0 };
    const keys = source(github.fetch, clock);
    await keys.key(a.identifier);
    github.state.fail = true;
    clock.now = 61_000;
    expect(await keys.key(a.identifier)).toBeDefined();
    expect(github.state.calls).toBe(2);

    const cold = source(github.fetch, clock);
    await expect(cold.key(a.identifier)).rejects.toBeInstanceOf(SigningKeysUnavailable);
    await expect(cold.key(a.identifier)).rejects.toBeInstanceOf(SigningKeysUnavailable);
    expect(github.state.calls).toBe(3);
    github.state.fail = false;
    github.state.status = 503;
    clock.now += 5_000;
    await expect(cold.key(a.identifier)).rejects.toBeInstanceOf(SigningKeysUnavailable);
    expect(github.state.calls).toBe(4);
  });

  it('takes only P-256 public keys; other curves, RSA and junk are skipped', async () => {
    const good = signingKey();
    const pem = (key: ReturnType<typeof generateKeyPairSync>['publicKey']) =>
      key.export({ type: 'spki', format: 'pem' }).toString();
    const p384 = pem(generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).publicKey);
    const rsa = pem(generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey);
    const github = fakeGitHub(
      JSON.stringify({
        public_keys: [
          { key_identifier: 'p384', key: p384 },
          { key_identifier: 'rsa', key: rsa },
          { key_identifier: 'junk', key: 'not a pem' },
          { key_identifier: good.identifier, key: good.publicPem },
        ],
      }),
    );
    const keys = source(github.fetch, { now: 0 });
    expect(await keys.key(good.identifier)).toBeDefined();
    for (const id of ['p384', 'rsa', 'junk']) expect(await keys.key(id)).toBeUndefined();
  });

  it("accepts the signed sample request from GitHub's documentation, and nothing altered from it", async () => {
    // GitHub's documented sample (partner program, "Implement signature verification"), and the
    // public key its API lists under that identifier.
    const identifier = 'bcb53661c06b4728e59d897fb6165d5c9cda0fd9cdf9d09ead458168deb7518c';
    const publicPem =
      '-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEYAGMWO8XgCamYKMJS6jc/qgvSlAd\n' +
      'AjPuDPRcXU22YxgBrz+zoN19MzuRyW87qEt9/AmtoNP5GrobzUvQSyJFVw==\n-----END PUBLIC KEY-----\n';
    const payload =
      '[{"source":"commit","token":"some_token","type":"some_type","url":"https://example.com/base-repo-url/"}]';
    const headers = {
      'github-public-key-identifier': identifier,
      'github-public-key-signature':
        'MEQCIQDaMKqrGnE27S0kgMrEK0eYBmyG0LeZismAEz/BgZyt7AIfXt9fErtRS4XaeSt/AO1RtBY66YcAdjxji410VQV4xg==',
    };
    const keys = source(fakeGitHub(listOf({ identifier, publicPem })).fetch, { now: 0 });
    await expect(verifyGitHubSignature(Buffer.from(payload), headers, keys)).resolves.toBeUndefined();
    // Re-serialised (spacing changed) is another body: the signature is over the raw bytes.
    const reserialised = JSON.stringify(JSON.parse(payload), null, 1);
    await expect(verifyGitHubSignature(Buffer.from(reserialised), headers, keys)).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
    });
  });

  it('refuses malformed signature headers before fetching anything', async () => {
    const github = fakeGitHub(listOf(signingKey()));
    const keys = source(github.fetch, { now: 0 });
    for (const headers of [
      {},
      { 'github-public-key-identifier': 'abc' },
      { 'github-public-key-identifier': 'a b', 'github-public-key-signature': 'MEUCIQ'.repeat(10) },
      { 'github-public-key-identifier': 'abc', 'github-public-key-signature': 'short' },
    ]) {
      await expect(verifyGitHubSignature(Buffer.from('[]'), headers, keys)).rejects.toMatchObject({
        code: 'UNAUTHORIZED',
      });
    }
    expect(github.state.calls).toBe(0);
  });
});

describe('fetching the signing keys over HTTP', () => {
  const servers: Server[] = [];
  afterEach(async () => {
    for (const s of servers.splice(0)) {
      s.closeAllConnections();
      await new Promise((resolve) => s.close(resolve));
    }
  });
  async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void) {
    const server = createServer(handler);
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }
  const real = (url: string) => {
    const errors: unknown[] = [];
    const keys = new SigningKeySource({
      url,
      maxAgeMs: 60_000,
      minRefetchMs: 5_000,
      timeoutMs: 10_000,
      onError: (e) => errors.push(e),
    });
    return { keys, errors };
  };

  it('stops reading a chunked list with no length at the byte cap, whatever the sender has left', async () => {
    const MB = 1024 * 1024;
    let sent = 0;
    let closed!: () => void;
    const gone = new Promise<void>((resolve) => {
      closed = resolve;
    });
    const url = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.on('close', closed);
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      const pump = () => {
        while (sent < 256 * MB && !res.destroyed) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      res.write('{"public_keys":[');
      pump();
    });
    const { keys, errors } = real(url);
    await expect(keys.key('any')).rejects.toBeInstanceOf(SigningKeysUnavailable);
    await gone;
    expect(String(errors[0])).toMatch(/too large/);
    // What the socket buffers held beyond the 256 KB cap, never the 256 MB on offer.
    expect(sent).toBeLessThan(32 * MB);
  });

  it('refuses a redirect to another origin: the list found there is never trusted', async () => {
    const attacker = signingKey();
    let elsewhere = 0;
    const other = await serve((_req, res) => {
      elsewhere++;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(listOf(attacker));
    });
    const url = await serve((_req, res) => {
      res.writeHead(302, { location: `${other}/meta/public_keys/secret_scanning` });
      res.end();
    });
    const { keys, errors } = real(`${url}/meta/public_keys/secret_scanning`);
    await expect(keys.key(attacker.identifier)).rejects.toBeInstanceOf(SigningKeysUnavailable);
    expect(elsewhere).toBe(0);
    expect(String(errors[0])).toMatch(/redirect/);
    const body = '[]';
    await expect(
      verifyGitHubSignature(Buffer.from(body), lowerCase(signedHeaders(body, attacker)), keys),
    ).rejects.toThrow();
  });

  it('follows a redirect within the same origin', async () => {
    const a = signingKey();
    const url = await serve((req, res) => {
      if (req.url === '/keys') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(listOf(a));
        return;
      }
      res.writeHead(301, { location: '/keys' });
      res.end();
    });
    const { keys } = real(`${url}/old-keys`);
    expect(await keys.key(a.identifier)).toBeDefined();
  });
});

const lowerCase = (headers: Record<string, string>) =>
  Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));

describe('the leak service', () => {
  const peppers = parsePepperSet(JSON.stringify({ version: '1', pepper: 'q'.repeat(40) }));
  const now = new Date('2026-06-01T00:00:00.000Z');
  const ctx: RequestContext = { actor: 'github-secret-scanning', requestId: 'req-1' };

  function service(record: KeyRecord, action: 'revoke' | 'disable' = 'disable') {
    const calls: { verb: string; ctx: RequestContext }[] = [];
    const published: LatchkeyEvent[] = [];
    const changed = (status: KeyRecord['status']) =>
      toApiKey({ ...record, status, version: record.version + 1 }, now);
    const leaks = new LeakService({
      getKey: async (id) => (id === record.keyId ? record : undefined),
      peppers: async () => peppers,
      keys: {
        revoke: async (_id, c) => {
          calls.push({ verb: 'revoke', ctx: c });
          return changed('revoked');
        },
        update: async (_id, _input, _ifMatch, c) => {
          calls.push({ verb: 'disable', ctx: c });
          return changed('inactive');
        },
      },
      events: { publish: async (events) => void published.push(...events) },
      now: () => now,
      action,
    });
    return { leaks, calls, published };
  }

  it('disables under disable, but revokes an expired key (extending it would bring the leaked secret back)', async () => {
    const live = storedKey(peppers);
    const disabling = service(live.record);
    await disabling.leaks.report([{ token: live.secret, url: 'u', source: 'content' }], ctx);
    expect(disabling.calls.map((c) => c.verb)).toEqual(['disable']);
    expect(disabling.calls[0]?.ctx.auditContext).toEqual({ url: 'u', source: 'content' });

    const expired = storedKey(peppers, { expiresAt: '2026-05-01T00:00:00.000Z' });
    const revoking = service(expired.record);
    const [outcome] = await revoking.leaks.report([{ token: expired.secret }], ctx);
    expect(revoking.calls.map((c) => c.verb)).toEqual(['revoke']);
    expect(outcome).toMatchObject({ label: 'true_positive', action: 'revoke', changed: true });
    expect(revoking.published[0]?.detail).toMatchObject({ action: 'revoke', url: '', source: 'unknown' });
  });

  it('calls nothing for a key already revoked, and for false positives', async () => {
    const revoked = storedKey(peppers, { status: 'revoked' });
    const { leaks, calls, published } = service(revoked.record, 'revoke');
    const outcomes = await leaks.report(
      [
        { token: revoked.secret },
        // Another last character: the checksum no longer holds.
        { token: `${revoked.secret.slice(0, -1)}${revoked.secret.endsWith('x') ? 'y' : 'x'}` },
        { token: 'plain' },
      ],
      ctx,
    );
    expect(outcomes.map((o) => o.label)).toEqual(['true_positive', 'false_positive', 'false_positive']);
    expect(outcomes[0]).toMatchObject({ changed: false });
    expect(calls).toEqual([]);
    expect(published).toEqual([]);
  });
});

describe('POST /v1/leaks/github in AWS, with faults', () => {
  const signer = signingKey();
  const peppers = parsePepperSet(JSON.stringify({ version: '1', pepper: 'p'.repeat(40) }));
  const ddb = mockClient(DynamoDBDocumentClient);
  const eb = mockClient(EventBridgeClient);
  const realFetch = globalThis.fetch;
  let handler: typeof import('#handlers/leaks-github.ts')['handler'];

  beforeAll(async () => {
    useLambdaEnv({ LATCHKEY_LEAK_KEYS_URL: 'https://keys.example.test/secret_scanning' });
    delete process.env.LATCHKEY_EVENTS_TABLE;
    globalThis.fetch = (async () => new Response(listOf(signer))) as typeof fetch;
    handler = (await import('#handlers/leaks-github.ts')).handler;
  });
  afterAll(() => {
    globalThis.fetch = realFetch;
    ddb.restore();
    eb.restore();
  });
  beforeEach(() => {
    ddb.reset();
    eb.reset();
  });

  const { record, secret } = storedKey(peppers);
  const call = (body: string) =>
    handler(
      {
        ...restEvent('POST', '/v1/leaks/github', { headers: signedHeaders(body, signer) }),
        body,
        requestContext: { requestId: 'r1' } as never,
      },
      context(),
    );
  const body = JSON.stringify([{ token: secret, type: 'latchkey', url: 'https://x', source: 'content' }]);

  it('fails closed when DynamoDB fails: a 500 with no internals, and no write', async () => {
    ddb.on(GetCommand).rejects(Object.assign(new Error('boom'), { name: 'InternalServerError' }));
    const res = await call(body);
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain('boom');
    expect(res.body).not.toContain(secret);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('keeps the revocation when EventBridge refuses the events, and still answers the true positive', async () => {
    ddb.on(GetCommand).resolves({ Item: record });
    ddb.on(TransactWriteCommand).resolves({});
    eb.on(PutEventsCommand).rejects(new Error('EventBridge down'));
    const res = await call(body);
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body)).toEqual([
      { token_hash: sha256(secret), token_type: 'latchkey', label: 'true_positive' },
    ]);
    const [write] = ddb.commandCalls(TransactWriteCommand);
    const items = write?.args[0].input.TransactItems ?? [];
    const audit = items.find((i) => i.Put)?.Put?.Item;
    expect(audit).toMatchObject({
      actor: 'github-secret-scanning',
      action: 'key.revoked',
      context: { url: 'https://x', source: 'content' },
    });
    expect(JSON.stringify(items)).not.toContain(secret);
    // Both the Revoked and the Leaked event were tried, and their failure did not undo the revocation.
    expect(eb.commandCalls(PutEventsCommand)).toHaveLength(2);
  });
});
