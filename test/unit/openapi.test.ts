import { readFileSync } from 'node:fs';
import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { CLIENT_TYPES_FILE, clientTypes } from '../../functions/contract/client-types.ts';
import { openApiDocument } from '../../functions/contract/openapi.ts';
import { MANAGEMENT_ROUTES, PORTAL_ROUTES, READINESS_ROUTE } from '../../functions/routes.ts';

/**
 * The OpenAPI document: valid OpenAPI 3.1 by a maintained validator, every route of the route
 * tables in it and nothing else, every error in the one error shape, and the client package's
 * types generated from it as it is now.
 */
const doc = openApiDocument();
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
type OperationObject = NonNullable<NonNullable<typeof doc.paths>[string]>['get'];
const operations = Object.entries(doc.paths ?? {}).flatMap(([path, item]) =>
  METHODS.flatMap((method) => {
    const op = item?.[method] as OperationObject;
    return op ? [{ route: `${method.toUpperCase()} ${path}`, op: op as NonNullable<OperationObject> }] : [];
  }),
);

describe('the OpenAPI document', () => {
  it('is valid OpenAPI 3.1', async () => {
    const result = await new Validator().validate(structuredClone(doc) as unknown as Record<string, unknown>);
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
    expect(doc.openapi).toBe('3.1.0');
  });

  it('has every route of the route tables and the readiness probe, and nothing else', () => {
    const routes = [...MANAGEMENT_ROUTES, ...PORTAL_ROUTES, READINESS_ROUTE].map(
      (r) => `${r.method} ${r.path}`,
    );
    expect(operations.map((o) => o.route).sort()).toEqual([...routes].sort());
  });

  it('names each operation once, tags it, and says how it authenticates', () => {
    const ids = operations.map((o) => o.op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every((id) => /^[a-z][A-Za-z]+$/.test(id ?? ''))).toBe(true);
    const security = Object.fromEntries(operations.map((o) => [o.route, o.op.security]));
    for (const r of MANAGEMENT_ROUTES) {
      const key = `${r.method} ${r.path}`;
      expect(security[key], key).toEqual(r.public ? [] : [{ sigv4: [] }, { bearer: [] }]);
    }
    for (const r of PORTAL_ROUTES)
      expect(security[`${r.method} ${r.path}`]).toEqual(
        r.path.startsWith('/portal/api/') ? [{ portalSession: [] }] : [],
      );
    expect(security['GET /healthz']).toEqual([]);
    expect(security['GET /v1/openapi.json']).toEqual([]);
    expect(security['POST /v1/leaks/github']).toEqual([]);
    expect(doc.components?.securitySchemes).toMatchObject({
      sigv4: {
        type: 'apiKey',
        in: 'header',
        name: 'Authorization',
        'x-amazon-apigateway-authtype': 'awsSigv4',
      },
      bearer: { type: 'http', scheme: 'bearer' },
      portalSession: { type: 'apiKey', in: 'cookie' },
    });
  });

  it('answers every error in the one error shape, and every signed route can be refused', () => {
    for (const { route, op } of operations) {
      const responses = op.responses as Record<string, { $ref?: string }>;
      const errors = Object.entries(responses).filter(([status]) => Number(status) >= 400);
      expect(errors.length, route).toBeGreaterThan(0);
      for (const [status, response] of errors) {
        // The portal link's refusal is a page for a person; the probe's 503 is its own answer.
        if (route === 'GET /portal/enter' && status === '401') continue;
        if (route === 'GET /healthz' && status === '503') continue;
        expect(response.$ref, `${route} ${status}`).toMatch(/^#\/components\/responses\//);
      }
      if (op.security?.length) expect(Object.keys(responses), route).toEqual(expect.arrayContaining(['401']));
      if (op.requestBody)
        expect(Object.keys(responses), route).toEqual(expect.arrayContaining(['400', '413']));
    }
    const shapes = Object.values(doc.components?.responses ?? {}).map(
      (r) => (r as { content: Record<string, { schema: unknown }> }).content['application/json']?.schema,
    );
    expect(new Set(shapes.map((s) => JSON.stringify(s)))).toEqual(
      new Set([JSON.stringify({ $ref: '#/components/schemas/ErrorResponse' })]),
    );
  });

  it('has examples that are what they illustrate', () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats.default(ajv);
    ajv.addSchema({ ...doc, $id: 'openapi.json' });
    const checked: string[] = [];
    for (const [name, schema] of Object.entries(doc.components?.schemas ?? {})) {
      const example = (schema as { example?: unknown }).example;
      if (example === undefined) continue;
      const validate = ajv.compile({ $ref: `openapi.json#/components/schemas/${name}` });
      expect(validate(example), `${name}: ${ajv.errorsText(validate.errors)}`).toBe(true);
      checked.push(name);
    }
    for (const { route, op } of operations) {
      const media = (op.requestBody as { content?: Record<string, { schema: unknown; examples?: object }> })
        ?.content?.['application/json'];
      for (const [name, example] of Object.entries(media?.examples ?? {})) {
        const validate = ajv.compile({
          $ref: `openapi.json#${pointer(route)}/requestBody/content/application~1json/schema`,
        });
        expect(
          validate((example as { value: unknown }).value),
          `${route} ${name}: ${ajv.errorsText(validate.errors)}`,
        ).toBe(true);
        checked.push(`${route} ${name}`);
      }
    }
    expect(checked).toEqual(
      expect.arrayContaining(['ApiKey', 'CreatedKey', 'Role', 'POST /v1/keys service']),
    );
  });
});

/** The JSON pointer of an operation: `/paths/~1v1~1keys/post`. */
function pointer(route: string): string {
  const [method, path] = route.split(' ') as [string, string];
  return `/paths/${path.replaceAll('~', '~0').replaceAll('/', '~1')}/${method.toLowerCase()}`;
}

describe('the client package', () => {
  it('has the types generated from the document as it is now (run `npm run contract` after changing the API)', async () => {
    expect(readFileSync(CLIENT_TYPES_FILE, 'utf8')).toBe(await clientTypes());
  });
});
