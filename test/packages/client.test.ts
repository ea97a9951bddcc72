import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { openApiDocument } from '#contract/openapi.ts';
import { LatchkeyClient, paginate, regionFromHost } from '../../packages/client/src/client.ts';
import { LatchkeyError } from '../../packages/client/src/errors.ts';
import { ROUTES } from '../../packages/client/src/operations.ts';
import type { ApiKey, CreatedKey, KeyPage, RequestsPage } from '../../packages/client/src/types.ts';
import { useTestService } from '../support/service.ts';

const service = useTestService();
let client: LatchkeyClient;

beforeAll(() => {
  client = new LatchkeyClient({ baseUrl: service.url, token: service.adminToken });
});

describe('the client’s operations are the document’s', () => {
  it('has every operation of the document at its method and path, and no other', () => {
    const documented = Object.entries(openApiDocument().paths ?? {}).flatMap(([path, item]) =>
      Object.entries(item as Record<string, { operationId?: string }>)
        .filter(([, op]) => typeof op === 'object' && op?.operationId)
        .map(([method, op]) => [op.operationId, [method.toUpperCase(), path]] as const),
    );
    expect(Object.fromEntries(documented)).toEqual(ROUTES);
  });
});

describe('against the local server', () => {
  it('creates, reads, changes, rotates, revokes and deletes a key, typed', async () => {
    const created = await client.keys.create({
      name: 'billing',
      owner: 'alice',
      scope: { workspaceId: 'ws-1' },
    });
    expectTypeOf(created).toEqualTypeOf<CreatedKey>();
    expect(created.secret).toMatch(/^lk_live_/);
    const id = created.key.keyId;
    expect((await client.keys.get(id)).name).toBe('billing');
    const changed = await client.keys.update(
      id,
      { description: 'invoices' },
      { ifMatch: created.key.version },
    );
    expect(changed.description).toBe('invoices');
    const rotated = await client.keys.rotate(id, { gracePeriodSeconds: 60 });
    expect(rotated.previous.keyId).toBe(id);
    expect((await client.verify({ key: rotated.secret as string })).code).toBe('VALID');
    expect((await client.keys.revoke(rotated.key.keyId)).status).toBe('revoked');
    expect(await client.keys.delete(id)).toBeUndefined();
    expect((await client.keys.usage(rotated.key.keyId, { days: 7 })).days).toHaveLength(7);
  });

  it('refuses with a LatchkeyError carrying the API’s status, code and fields', async () => {
    const missing = await client.keys.get('key_0000000000000000000000').catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(LatchkeyError);
    expect(missing).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    const { key } = await client.keys.create({ owner: 'alice' });
    const stale = await client.keys
      .update(key.keyId, { name: 'x' }, { ifMatch: key.version + 5 })
      .catch((e) => e);
    expect(stale).toMatchObject({ status: 412, code: 'PRECONDITION_FAILED' });
    const bad = await client.keys
      .create({ owner: 'alice', environment: 'staging' as 'production' })
      .catch((e) => e);
    expect(bad).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    expect((bad as LatchkeyError).details.map((d) => d.field)).toEqual(['environment']);
    const anonymous = new LatchkeyClient({ baseUrl: service.url });
    expect(await anonymous.whoAmI().catch((e) => e)).toMatchObject({ status: 401, code: 'UNAUTHORIZED' });
  });

  it('walks every page of a list', async () => {
    const owner = `pager-${Date.now()}`;
    const made = [];
    for (let i = 0; i < 5; i++) made.push((await client.keys.create({ owner })).key.keyId);
    const first = await client.keys.list({ owner, limit: 2 });
    expectTypeOf(first).toEqualTypeOf<KeyPage>();
    expect(first.items).toHaveLength(2);
    const seen: string[] = [];
    for await (const key of client.keys.all({ owner, limit: 2 })) {
      expectTypeOf(key).toEqualTypeOf<ApiKey>();
      seen.push(key.keyId);
    }
    expect(seen.sort()).toEqual(made.sort());
    const audit = [];
    for await (const entry of client.audit.all({ limit: 3 })) audit.push(entry);
    expect(audit.length).toBeGreaterThanOrEqual(5);
    let pages = 0;
    for await (const _ of paginate(async (cursor) => {
      pages++;
      return client.events.list({ limit: 4, ...(cursor ? { cursor } : {}) });
    }));
    expect(pages).toBeGreaterThan(1);
  });

  it('calls the rest of the management API', async () => {
    const role = await client.roles.create({ name: 'billing-reader', permissions: ['invoices:read'] });
    expect((await client.roles.get(role.name)).permissions).toEqual(['invoices:read']);
    expect((await client.roles.list()).items.map((r) => r.name)).toContain('billing-reader');
    await client.roles.put(role.name, { permissions: ['invoices:read', 'invoices:list'] });
    expect(await client.roles.delete(role.name)).toBeUndefined();
    expect((await client.whoAmI()).actor).toBe('local-admin');
    expect((await client.health()).status).toBe('ok');
    expect((await client.openApiDocument()).openapi).toBe('3.1.0');
    expect((await client.rotation.sweep({ dryRun: true })).dryRun).toBe(true);
    expect(await client.reports.complianceCsv()).toMatch(/^"section",/);
    expect((await client.reports.compliance()).totals.liveKeys).toBeGreaterThan(0);
    expect((await client.reports.compliance({ unusedDays: 30 })).unusedDays).toBe(30);
    expect((await client.pepper.list()).versions.length).toBeGreaterThan(0);
    expect((await client.plans.list()).items).toEqual(expect.any(Array));
    expect((await client.usage.overview({ days: 7 })).window.days).toBe(7);
    const link = await client.portalSessions.create({ subject: 'user-1', scope: { workspaceId: 'ws-1' } });
    expect(await client.portalSessions.delete(link.sessionId)).toBeUndefined();
  });

  it("reads a key's requests, extends a grace, runs the kill switch and reports found secrets", async () => {
    const { key, secret } = await client.keys.create({ owner: 'carol', scope: { workspaceId: 'ws-1' } });
    await client.verify({ key: secret });
    const page = await client.keys.requests(key.keyId, { limit: 5 });
    expectTypeOf(page).toEqualTypeOf<RequestsPage>();
    expect(page.keyId).toBe(key.keyId);
    expect(await client.keys.requestsCsv(key.keyId)).toMatch(/^"at","outcome",/);
    const rows = [];
    for await (const row of client.keys.allRequests(key.keyId, { limit: 1 })) rows.push(row);
    expect(rows).toEqual(page.items);
    await client.keys.rotate(key.keyId, { gracePeriodSeconds: 60 });
    const extended = await client.keys.extendGrace(key.keyId, { seconds: 60 });
    expect(Date.parse(extended.expiresAt as string)).toBeGreaterThan(Date.now() + 60_000);
    const dry = await client.keys.bulk({ filter: { owner: 'carol' }, action: 'disable', dryRun: true });
    if (!dry.dryRun) throw new Error('a dry run answered as a run');
    const run = await client.keys.bulk({
      filter: { owner: 'carol' },
      action: 'disable',
      dryRun: false,
      confirm: dry.confirm,
    });
    expect(run).toMatchObject({ dryRun: false, affected: dry.matched, done: true });
    const anonymous = new LatchkeyClient({ baseUrl: service.url });
    expect((await anonymous.leaks.revokeCredentials({ credentials: ['nothing'] })).message).toMatch(
      /^Thank you/,
    );
  });
});

describe('answers that are not the API’s', () => {
  const answering = (response: () => Response) =>
    new LatchkeyClient({ baseUrl: 'http://127.0.0.1:1', token: 't', fetch: async () => response() });

  it('reads JSON whatever its content type, and calls a success that is not JSON a LatchkeyError', async () => {
    const untyped = answering(() => new Response(JSON.stringify({ actor: 'a', mode: 'local' })));
    expect((await untyped.whoAmI()).actor).toBe('a');
    const html = answering(() => new Response('<html>', { status: 200 }));
    const error = await html.keys.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LatchkeyError);
    expect(error).toMatchObject({
      status: 200,
      code: 'NOT_JSON',
      message: '/v1/keys answered something other than JSON',
    });
  });

  it('keeps the answer of a refusal, for a caller that words its own errors', async () => {
    const gateway = answering(() =>
      Response.json({ message: 'Forbidden' }, { status: 403, statusText: 'Forbidden' }),
    );
    const error = await gateway.keys.list().catch((e: unknown) => e);
    expect(error).toMatchObject({
      status: 403,
      code: 'FORBIDDEN',
      message: 'Forbidden',
      answer: { body: { message: 'Forbidden' }, statusText: 'Forbidden' },
    });
  });
});

describe('SigV4 against a deployed API', () => {
  it('signs each request for execute-api in the region of the host, as API Gateway checks it', async () => {
    const seen: { url: URL; headers: Record<string, string> }[] = [];
    const credentials = {
      accessKeyId: 'AKIDEXAMPLE',
      secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
    };
    const deployed = new LatchkeyClient({
      baseUrl: 'https://abc123defg.execute-api.eu-west-1.amazonaws.com/v1',
      aws: { credentials },
      fetch: async (url, init) => {
        seen.push({ url: url as URL, headers: init?.headers as Record<string, string> });
        return Response.json(
          { items: [], nextCursor: null },
          { headers: { 'content-type': 'application/json' } },
        );
      },
    });
    await deployed.keys.list({ owner: 'a b', limit: 5 });
    const [request] = seen;
    expect(request?.url.toString()).toBe(
      'https://abc123defg.execute-api.eu-west-1.amazonaws.com/v1/v1/keys?owner=a%20b&limit=5',
    );
    const headers = request?.headers ?? {};
    expect(headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/execute-api\/aws4_request, /,
    );
    // The same request signed again at the same time gives the same signature.
    const { authorization, 'x-amz-date': date, 'x-amz-content-sha256': _hash, ...rest } = headers;
    const url = request?.url as URL;
    const again = await new SignatureV4({
      service: 'execute-api',
      region: 'eu-west-1',
      credentials,
      sha256: Sha256,
    }).sign(
      new HttpRequest({
        method: 'GET',
        protocol: url.protocol,
        hostname: url.hostname,
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers: { ...rest, host: url.host },
      }),
      {
        signingDate: new Date(
          `${date?.replace(/^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/, '$1-$2-$3T$4:$5:$6Z')}`,
        ),
      },
    );
    expect(again.headers.authorization).toBe(authorization);
  });

  it('reads the region of an execute-api host, and none of another', () => {
    expect(regionFromHost('abc123defg.execute-api.eu-west-1.amazonaws.com')).toBe('eu-west-1');
    expect(regionFromHost('abc123defg-vpce-0a1b.execute-api.us-gov-west-1.vpce.amazonaws.com:443')).toBe(
      'us-gov-west-1',
    );
    expect(regionFromHost('keys.example.com')).toBeUndefined();
  });

  it('asks for a region where the host names none', () => {
    const custom = new LatchkeyClient({
      baseUrl: 'https://keys.example.com',
      aws: true,
      fetch: async () => Response.json({}),
    });
    return expect(custom.whoAmI()).rejects.toThrow(
      /no AWS region for https:\/\/keys.example.com: give aws.region/,
    );
  });
});
