import { request } from 'node:http';
import { connect } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MANAGEMENT_ROUTES } from '../../functions/routes.ts';
import { pagesOf } from '../support/api.ts';
import { newKey, useTestService } from '../support/service.ts';

const svc = useTestService();

const OBJECT_NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'];

describe('hostile names reach no object prototype', () => {
  it.each(OBJECT_NAMES)(
    'a query parameter and a header named %s give no 500, /healthz included',
    async (name) => {
      for (const path of ['/healthz', '/v1/keys', '/v1/audit', '/v1/events', '/v1/roles', '/demo/orders']) {
        const res = await svc.api('GET', `${path}?${encodeURIComponent(name)}=1`, undefined, { [name]: 'x' });
        expect(res.status, `${name} on ${path}`).toBeLessThan(500);
      }
    },
  );

  it.each(OBJECT_NAMES.filter((n) => n !== '__proto__'))('a metadata key named %s is kept', async (name) => {
    const created = await svc.api('POST', '/v1/keys', newKey({ metadata: { [name]: 'v' } }));
    expect(created.status).toBe(201);
    expect(created.body.key.metadata).toEqual({ [name]: 'v' });
    const patched = await svc.api('PATCH', `/v1/keys/${created.body.key.keyId}`, {
      metadata: { [name]: 'w' },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.metadata).toEqual({ [name]: 'w' });
  });

  it('a metadata key "__proto__" is refused by name', async () => {
    const res = await svc.api('POST', '/v1/keys', '{"owner":"a","metadata":{"__proto__":"x"}}');
    expect(res.status).toBe(400);
    expect(res.body.error.details).toContainEqual({
      field: 'metadata.__proto__',
      message: expect.any(String),
    });
  });
});

describe('cursors are checked fully', () => {
  const forged = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

  it('refuses forged, tampered and foreign cursors on every list with 400 naming cursor', async () => {
    for (let i = 0; i < 3; i++) await svc.api('POST', '/v1/keys', newKey({ owner: 'cursors' }));
    const page = await svc.api('GET', '/v1/keys?owner=cursors&limit=1');
    const real = page.body.nextCursor as string;
    expect(real).toEqual(expect.any(String));
    const decoded = JSON.parse(Buffer.from(real, 'base64url').toString('utf8'));
    const bad = [
      'not-base64-json',
      forged({ ...decoded, k: { ...decoded.k, keyId: 5 } }),
      forged({ ...decoded, k: { ...decoded.k, extra: 'x' } }),
      forged({ ...decoded, k: { keyId: 'key_x' } }),
      forged({ ...decoded, p: 7 }),
      forged({ ...decoded, q: 'another-query' }),
      forged([1, 2]),
      forged({ i: 'byStatus', p: 0, k: { keyId: 'a', createdAt: 'b', status: { S: 'x' } } }),
    ];
    const lists = [
      '/v1/keys?owner=cursors&limit=1',
      '/v1/keys?limit=1',
      '/v1/audit?limit=1',
      '/v1/events?limit=1',
    ];
    for (const list of lists) {
      for (const cursor of bad) {
        const res = await svc.api('GET', `${list}&cursor=${encodeURIComponent(cursor)}`);
        expect(res.status, `${list} with ${cursor}`).toBe(400);
        expect(res.body.error.details).toEqual([{ field: 'cursor', message: expect.any(String) }]);
      }
    }
    // A cursor of one query does not carry on another.
    const other = await svc.api('GET', `/v1/keys?owner=someone-else&limit=1&cursor=${real}`);
    expect(other.status).toBe(400);
    // And a real cursor still works.
    const next = await svc.api('GET', `/v1/keys?owner=cursors&limit=1&cursor=${real}`);
    expect(next.status).toBe(200);
    expect(next.body.items).toHaveLength(1);
  });

  it('refuses a real list cursor whose partition, status or owner was changed with 400 naming cursor, never 500', async () => {
    for (let i = 0; i < 3; i++) await svc.api('POST', '/v1/keys', newKey({ owner: 'moved' }));
    const tampered: [string, string][] = [];
    for (const list of [
      '/v1/keys?limit=1',
      '/v1/keys?status=active&limit=1',
      '/v1/keys?owner=moved&limit=1',
    ]) {
      const page = await svc.api('GET', list);
      const decoded = JSON.parse(Buffer.from(page.body.nextCursor as string, 'base64url').toString('utf8'));
      const variants = [
        { ...decoded, p: 1 },
        { ...decoded, k: { ...decoded.k, ...('status' in decoded.k ? { status: 'inactive' } : {}) } },
        { ...decoded, k: { ...decoded.k, ...('owner' in decoded.k ? { owner: 'someone-else' } : {}) } },
      ].filter((v) => JSON.stringify(v) !== JSON.stringify(decoded));
      for (const variant of variants) tampered.push([list, forged(variant)]);
    }
    expect(tampered.length).toBeGreaterThanOrEqual(5);
    for (const [list, cursor] of tampered) {
      const res = await svc.api('GET', `${list}&cursor=${cursor}`);
      expect(res.status, `${list} with ${Buffer.from(cursor, 'base64url').toString()}`).toBe(400);
      expect(res.body.error.details).toEqual([{ field: 'cursor', message: expect.any(String) }]);
    }
  });
});

describe('validation', () => {
  it('names every bad field in one answer, the future-expiry rule included', async () => {
    const res = await svc.api('POST', '/v1/keys', { name: 5, expiresAt: '2000-01-01T00:00:00Z' });
    expect(res.status).toBe(400);
    const fields = res.body.error.details.map((d: { field: string }) => d.field);
    expect(fields).toEqual(expect.arrayContaining(['name', 'expiresAt']));
    const patch = await svc.api('PATCH', `/v1/keys/key_${'a'.repeat(22)}`, {
      description: 1,
      expiresAt: '2000-01-01T00:00:00Z',
    });
    expect(patch.status).toBe(400);
    expect(patch.body.error.details.map((d: { field: string }) => d.field)).toEqual(
      expect.arrayContaining(['description', 'expiresAt']),
    );
  });

  it.each([
    ['NUL', 'a\u0000b'],
    ['ESC', 'a\u001b[31mred'],
    ['CR/LF', 'line\r\nbreak'],
    ['a lone surrogate', 'a\ud800b'],
    ['a right-to-left override', 'invoice\u202efdp.exe'],
    ['a bidi isolate', 'a\u2066b'],
    ['zero-width characters', 'a\u200d\u200b\u2060\ufeffb'],
    ['a zero-width non-joiner', 'a\u200cb'],
    ['a soft hyphen', 'pay\u00adments'],
    ['a Hangul filler', 'a\u3164b'],
    ['a combining grapheme joiner', 'a\u034fb'],
    ['a variation selector', 'a\ufe0fb'],
    ['a tag character', 'a\u{e0041}b'],
  ])('refuses %s in a name', async (_what, name) => {
    const res = await svc.api('POST', '/v1/keys', newKey({ name }));
    expect(res.status).toBe(400);
    expect(res.body.error.details[0].field).toBe('name');
  });

  it('refuses invisible characters in a renamed key and in a metadata key, naming the field', async () => {
    const created = await svc.api('POST', '/v1/keys', newKey({ name: 'visible' }));
    const renamed = await svc.api('PATCH', `/v1/keys/${created.body.key.keyId}`, { name: 'vis\u200bible' });
    expect(renamed.status).toBe(400);
    expect(renamed.body.error.details).toEqual([
      { field: 'name', message: expect.stringMatching(/invisible/) },
    ]);
    const meta = await svc.api('POST', '/v1/keys', newKey({ metadata: { 'te\u2060am': 'x' } }));
    expect(meta.status).toBe(400);
    expect(meta.body.error.details[0].field).toBe('metadata.te\u2060am');
  });

  it('allows newlines in a description, refuses other control characters and lone surrogates there', async () => {
    const ok = await svc.api(
      'POST',
      '/v1/keys',
      newKey({ description: 'first line\nsecond line\r\n\tindented' }),
    );
    expect(ok.status).toBe(201);
    for (const description of ['bell\u0007', 'esc\u001b', 'x\udc00']) {
      const res = await svc.api('POST', '/v1/keys', newKey({ description }));
      expect(res.status).toBe(400);
      expect(res.body.error.details[0].field).toBe('description');
    }
  });
});

describe('bodies of routes that take none', () => {
  it('POST /v1/pepper/rotate, /v1/pepper/versions/{version}/retire and /v1/keys/{keyId}/revoke refuse unknown fields, naming them', async () => {
    const key = await svc.api('POST', '/v1/keys', newKey());
    for (const path of [
      '/v1/pepper/rotate',
      '/v1/pepper/versions/1/retire',
      `/v1/keys/${key.body.key.keyId}/revoke`,
    ]) {
      const res = await svc.api('POST', path, { x: 1 });
      expect(res.status, path).toBe(400);
      expect(res.body.error.details, path).toEqual([{ field: 'x', message: 'is not a known field' }]);
    }
    expect((await svc.api('GET', `/v1/keys/${key.body.key.keyId}`)).body.status).toBe('active');
    expect((await svc.api('POST', `/v1/keys/${key.body.key.keyId}/revoke`)).status).toBe(200);
    expect((await svc.api('POST', `/v1/keys/${key.body.key.keyId}/revoke`, {})).status).toBe(200);
  });
});

describe('JSON answers', () => {
  it('carry X-Content-Type-Options: nosniff, errors and public routes included', async () => {
    const created = await svc.api('POST', '/v1/keys', newKey());
    const answers = [
      created,
      await svc.api('GET', '/v1/keys?limit=1'),
      await svc.api('GET', '/v1/keys?limit=0'),
      await svc.api('GET', `/v1/keys/key_${'z'.repeat(22)}`),
      await svc.api('DELETE', '/v1/keys'),
      await svc.api('GET', '/v1/nothing-here'),
      await svc.api('GET', '/v1/keys', undefined, { authorization: 'Bearer wrong' }),
      await svc.api('GET', '/v1/reports/compliance?format=csv'),
      await svc.api('GET', '/healthz'),
      await svc.api('POST', '/v1/leaks/github', '{}'),
      await svc.api('GET', '/demo/orders', undefined, { authorization: `Bearer ${created.body.secret}` }),
      await svc.api('GET', '/demo/orders', undefined, { authorization: 'Bearer nope' }),
    ];
    for (const res of answers) {
      expect(res.headers.get('x-content-type-options'), `${res.status} ${res.text.slice(0, 80)}`).toBe(
        'nosniff',
      );
    }
  });
});

describe('Host header', () => {
  /** One request with this Host header (undefined: none), as a DNS-rebinding page's browser would send it. */
  const withHost = (path: string, host: string | undefined, method = 'GET') =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const url = new URL(svc.url);
      if (host === undefined) {
        // HTTP/1.0 without a Host line: node's client always sends one.
        const socket = connect(Number(url.port), url.hostname, () =>
          socket.write(`${method} ${path} HTTP/1.0\r\nauthorization: Bearer ${svc.adminToken}\r\n\r\n`),
        );
        let raw = '';
        socket.on('data', (c) => {
          raw += c;
        });
        socket.on('end', () =>
          resolve({ status: Number(raw.split(' ')[1]), body: raw.split('\r\n\r\n')[1] ?? '' }),
        );
        socket.on('error', reject);
        return;
      }
      const req = request(
        `${svc.url}${path}`,
        {
          method,
          headers: { host, authorization: `Bearer ${svc.adminToken}`, 'content-type': 'application/json' },
        },
        (res) => {
          let body = '';
          res.on('data', (c) => {
            body += c;
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        },
      );
      req.on('error', reject);
      req.end(method === 'POST' ? '{}' : undefined);
    });

  it('answers 421 to any host but the address it listens on, on every kind of route', async () => {
    const port = new URL(svc.url).port;
    const routes: [string, string][] = [
      ['GET', '/demo/orders'],
      ['POST', '/v1/leaks/github'],
      ['GET', '/v1/keys'],
      ['GET', '/healthz'],
      ['GET', '/'],
      ['GET', '/index.html'],
    ];
    for (const host of [
      `attacker.example:${port}`,
      'attacker.example',
      `127.0.0.1:${Number(port) + 1}`,
      `127.0.0.2:${port}`,
      undefined,
    ]) {
      for (const [method, path] of routes) {
        const res = await withHost(path, host, method);
        expect(res.status, `${method} ${path} with Host ${host}`).toBe(421);
        expect(JSON.parse(res.body).error.code).toBe('MISDIRECTED');
      }
    }
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `LOCALHOST:${port}`]) {
      expect((await withHost('/v1/keys', host)).status, host).toBe(200);
    }
  });
});

describe('create defaults', () => {
  it('owner defaults to the caller and scope to the default workspace', async () => {
    const res = await svc.api('POST', '/v1/keys', { name: 'CI/CD integration' });
    expect(res.status).toBe(201);
    expect(res.body.key).toMatchObject({ owner: 'local-admin', scope: { workspaceId: 'default' } });
    expect((await svc.demo(res.body.secret)).status).toBe(200);
  });
});

describe('/demo refusals', () => {
  it('answers a 401 with the refusal code in the body', async () => {
    const created = await svc.api('POST', '/v1/keys', newKey());
    await svc.api('POST', `/v1/keys/${created.body.key.keyId}/revoke`);
    const res = await svc.demo(created.body.secret);
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('REVOKED');
    const missing = await svc.demo(undefined);
    expect(missing.body.error.code).toBe('MISSING');
  });
});

describe('search', () => {
  it('never answers an empty page with a cursor; finds the oldest key among many on the first page', async () => {
    const owner = 'search-many';
    const oldest = await svc.api('POST', '/v1/keys', newKey({ owner, name: 'Needle Oldest' }));
    for (let i = 0; i < 150; i += 15) {
      await Promise.all(
        Array.from({ length: 15 }, (_, j) => svc.api('POST', '/v1/keys', newKey({ owner: `hay-${i + j}` }))),
      );
    }
    let first = true;
    for await (const page of pagesOf(svc.api, '/v1/keys?search=needle%20OLD&limit=10')) {
      if (first) {
        expect(page.status).toBe(200);
        expect(page.body.items.map((k: { keyId: string }) => k.keyId)).toContain(oldest.body.key.keyId);
        first = false;
      } else if (page.body.items.length === 0) expect(page.body.truncated).toBe(true);
    }
  });

  it('a search by key ID is one lookup, with the other filters applied', async () => {
    const created = await svc.api('POST', '/v1/keys', newKey({ owner: 'by-id' }));
    const { keyId } = created.body.key;
    const hit = await svc.api('GET', `/v1/keys?search=${keyId}`);
    expect(hit.body).toEqual({ items: [created.body.key], nextCursor: null });
    const miss = await svc.api('GET', `/v1/keys?search=${keyId}&owner=someone-else`);
    expect(miss.body).toEqual({ items: [], nextCursor: null });
  });
});

describe('every route, hostile input', () => {
  const hostile = fc.oneof(
    fc.constantFrom(
      ...OBJECT_NAMES,
      '',
      ' ',
      '%',
      '%00',
      '..',
      '\u202e',
      `key_${'A'.repeat(22)}`,
      'null',
      '-1',
      '1e309',
    ),
    fc.string({ maxLength: 40 }),
    fc.string({ unit: 'grapheme', maxLength: 20 }),
  );
  const headerValue = fc.stringMatching(/^[\x21-\x7e]{0,40}$/);
  const hostileBody = fc.oneof(
    fc.json({ maxDepth: 3 }),
    fc.constantFrom(
      '{"__proto__":{"admin":true},"constructor":{"prototype":{}}}',
      '{"owner":"a","metadata":{"constructor":{"x":1}}}',
      '{"name":{"toString":1}}',
      '[]',
      'null',
      '{"gracePeriodSeconds":1e309}',
      '{"expiresAt":"9999-99-99"}',
      '{',
    ),
    hostile,
  );
  const routes = [
    ...MANAGEMENT_ROUTES.map((r) => ({ method: r.method as string, path: r.path })),
    { method: 'GET', path: '/healthz' },
    { method: 'GET', path: '/demo/{proxy}' },
  ];

  it('never answers 500', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes),
        fc.array(hostile, { minLength: 3, maxLength: 3 }),
        fc.array(fc.tuple(hostile, hostile), { maxLength: 4 }),
        fc.array(
          fc.tuple(
            fc.constantFrom(...OBJECT_NAMES, 'if-match', 'idempotency-key', 'x-api-key', 'content-type'),
            headerValue,
          ),
          {
            maxLength: 3,
          },
        ),
        hostileBody,
        async (route, params, query, headers, body) => {
          let i = 0;
          const path = route.path.replace(/\{[^}]+\}/g, () => encodeURIComponent(params[i++] ?? 'x') || 'x');
          const search = new URLSearchParams(query).toString();
          const res = await svc.api(
            route.method,
            `${path}${search ? `?${search}` : ''}`,
            route.method === 'GET' ? undefined : body,
            { 'content-type': 'application/json', ...Object.fromEntries(headers) },
          );
          expect(res.status, `${route.method} ${path}?${search} → ${res.text}`).toBeLessThan(500);
        },
      ),
      { numRuns: 300 },
    );
  });
});
