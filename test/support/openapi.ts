import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { expect } from 'vitest';
import { openApiDocument } from '../../functions/contract/openapi.ts';
import { matchRoute } from '../../functions/routes.ts';

/**
 * Checks answers against the OpenAPI document the service serves: the status is one the
 * operation lists, the content type one it lists for that status, the body valid against that
 * media type's schema (Ajv, JSON Schema 2020-12 with formats), and every required header there.
 * Records which operation answered which status, so a test can say what it has covered.
 */
interface ResponseObject {
  readonly $ref?: string;
  readonly content?: Record<string, { schema: unknown }>;
  readonly headers?: Record<string, { required?: boolean }>;
}
interface OperationObject {
  readonly operationId: string;
  readonly responses: Record<string, ResponseObject>;
}

export interface CheckedAnswer {
  readonly operationId: string;
  readonly status: number;
  readonly headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: bodies are inspected freely in tests
  readonly body: any;
  readonly text: string;
}

const METHODS = ['get', 'put', 'post', 'patch', 'delete'] as const;
const escapePointer = (s: string) => s.replaceAll('~', '~0').replaceAll('/', '~1');

export class ContractChecker {
  readonly document = openApiDocument() as unknown as {
    paths: Record<string, Partial<Record<(typeof METHODS)[number], OperationObject>>>;
    components: { responses: Record<string, ResponseObject> };
  };
  /** `operationId status`, for every answer checked. */
  readonly covered = new Set<string>();
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true });
  private readonly validators = new Map<string, ValidateFunction>();

  constructor() {
    addFormats.default(this.ajv);
    this.ajv.addSchema({ ...this.document, $id: 'openapi.json' });
  }

  /** Every operation of the document, by ID. */
  operationIds(): string[] {
    return Object.values(this.document.paths).flatMap((item) =>
      METHODS.flatMap((m) => (item[m] ? [item[m].operationId] : [])),
    );
  }

  /** The operation a request reaches: its template and method, as the routers match them. */
  private operation(method: string, path: string) {
    const pathname = new URL(path, 'http://x').pathname;
    for (const [template, item] of Object.entries(this.document.paths)) {
      const op = item[method.toLowerCase() as (typeof METHODS)[number]];
      if (op && matchRoute(template, pathname)) return { template, op };
    }
    throw new Error(`the document has no operation for ${method} ${pathname}`);
  }

  /** Checks one answer; returns it with its JSON body parsed. */
  async check(method: string, path: string, res: Response): Promise<CheckedAnswer> {
    const { template, op } = this.operation(method, path);
    const text = await res.text();
    const where = `${method} ${path} → ${res.status}`;
    let response = op.responses[String(res.status)];
    expect(response, `${where}: the document lists ${Object.keys(op.responses).join(', ')}`).toBeDefined();
    let pointer = `#/paths/${escapePointer(template)}/${method.toLowerCase()}/responses/${res.status}`;
    if (response?.$ref) {
      pointer = response.$ref;
      response = this.document.components.responses[response.$ref.split('/').at(-1) as string];
    }
    const type = res.headers.get('content-type')?.split(';')[0]?.trim();
    const content = response?.content;
    let body: unknown;
    if (!content) expect(text, `${where}: no body is documented`).toBe('');
    else {
      expect(Object.keys(content), `${where}: content type ${type}`).toContain(type);
      body = type === 'application/json' ? JSON.parse(text) : text;
      const validate = this.validator(
        `openapi.json${pointer}/content/${escapePointer(type as string)}/schema`,
      );
      expect(validate(body), `${where}: ${describe(validate.errors)}\n${text.slice(0, 2000)}`).toBe(true);
    }
    for (const [name, header] of Object.entries(response?.headers ?? {}))
      if (header.required) expect(res.headers.has(name), `${where}: header ${name}`).toBe(true);
    this.covered.add(`${op.operationId} ${res.status}`);
    return { operationId: op.operationId, status: res.status, headers: res.headers, body, text };
  }

  private validator(ref: string): ValidateFunction {
    let validate = this.validators.get(ref);
    if (!validate) {
      validate = this.ajv.compile({ $ref: ref });
      this.validators.set(ref, validate);
    }
    return validate;
  }
}

const describe = (errors: ErrorObject[] | null | undefined) =>
  (errors ?? [])
    .map((e) => `${e.instancePath || '(body)'} ${e.message} ${JSON.stringify(e.params)}`)
    .join('; ');
