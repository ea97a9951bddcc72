import { LatchkeyError } from './errors.ts';
import {
  type Answer,
  type Body,
  type Input,
  type InputArgs,
  type OperationId,
  type Query,
  ROUTES,
} from './operations.ts';
import type { AwsCredentials, RequestToSign } from './sigv4.ts';

export type { AwsCredentials } from './sigv4.ts';

export interface ClientOptions {
  /**
   * The API's base URL: the local server (`http://127.0.0.1:8787`) or a deployed stage
   * (`https://<id>.execute-api.<region>.amazonaws.com/v1`, the stack's `ManagementApiUrl`).
   */
  readonly baseUrl: string;
  /** The local server's admin token, sent as `Authorization: Bearer`. */
  readonly token?: string;
  /** Sign every request with SigV4 (`true`: the standard credential chain, region from the URL). */
  readonly aws?: AwsCredentials | true;
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
  /** Headers sent with every request (a user agent, say). */
  readonly headers?: Readonly<Record<string, string>>;
}

type Signer = (request: RequestToSign) => Promise<Record<string, string>>;

/** RFC 3986, as SigV4 canonicalises a query: a space is %20, never +. */
const rfc3986 = (text: string) =>
  encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

const REGION_IN_HOST =
  /^[a-z0-9-]+\.execute-api\.([a-z]{2}(?:-[a-z]+)+-\d+)\.(?:vpce\.)?amazonaws\.com(?:\.cn)?$/i;

/**
 * The region in an API Gateway host name: `<api-id>.execute-api.<region>.amazonaws.com` (also
 * `.amazonaws.com.cn` and private `<api-id>-<vpce-id>.execute-api.<region>.vpce.amazonaws.com`).
 * Custom domain names carry no region: undefined.
 */
export function regionFromHost(host: string): string | undefined {
  return REGION_IN_HOST.exec(host.replace(/:\d+$/, ''))?.[1]?.toLowerCase();
}

/** A page of a list operation: its items and the cursor of the next page (null on the last). */
export interface Page<T> {
  readonly items: readonly T[];
  readonly nextCursor: string | null;
}

/**
 * Every item of every page, fetching each page as the previous one runs out: `fetchPage` gets
 * the cursor the last page named (undefined for the first).
 */
export async function* paginate<T>(
  fetchPage: (cursor: string | undefined) => Promise<Page<T>>,
): AsyncGenerator<T, void, undefined> {
  let cursor: string | undefined;
  do {
    const page = await fetchPage(cursor);
    yield* page.items;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
}

type ItemOf<Id extends OperationId> = Answer<Id> extends Page<infer T> ? T : never;

/** A change made only if the item is still at `ifMatch`, the version it was read at. */
interface Conditional {
  readonly ifMatch?: string | number;
}

/** The If-Match header of a conditional change, or none. */
const ifMatchHeader = (options: Conditional) =>
  options.ifMatch === undefined ? {} : { 'If-Match': String(options.ifMatch) };

/**
 * The Latchkey API, typed from its OpenAPI document: a method for every operation (`call` for
 * any by its operation ID), bodies and answers of the document's types, each refusal a
 * LatchkeyError with the API's code. Locally it sends the admin token; against a deployed API it
 * signs with SigV4.
 */
export class LatchkeyClient {
  readonly baseUrl: string;
  readonly #options: ClientOptions;
  readonly #fetch: typeof fetch;
  #signer?: Promise<Signer>;

  constructor(options: ClientOptions) {
    const url = new URL(options.baseUrl);
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      throw new TypeError(`baseUrl must be an http or https URL, got "${options.baseUrl}"`);
    if (options.token && options.aws) throw new TypeError('give a token (local) or aws (deployed), not both');
    this.baseUrl = url.toString().replace(/\/+$/, '');
    this.#options = options;
    this.#fetch = options.fetch ?? ((input, init) => fetch(input, init));
  }

  /** Calls an operation by its ID (`createKey`, `listKeys`, …) with its path, query, header and body. */
  async call<Id extends OperationId>(id: Id, ...[input]: InputArgs<Id>): Promise<Answer<Id>> {
    const [method, template] = ROUTES[id];
    const given = (input ?? {}) as { path?: object; query?: object; header?: object; body?: unknown };
    const path = template.replace(/\{(\w+)\}/g, (_, name: string) => {
      const value = (given.path as Record<string, unknown> | undefined)?.[name];
      if (value === undefined || value === '') throw new TypeError(`${id} needs the path parameter ${name}`);
      return rfc3986(String(value));
    });
    const url = new URL(`${this.baseUrl}${path}${this.#search(given.query)}`);
    const body = given.body === undefined ? undefined : JSON.stringify(given.body);
    const headers: Record<string, string> = {
      accept: 'application/json',
      ...this.#options.headers,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...Object.fromEntries(
        Object.entries(given.header ?? {})
          .filter(([, v]) => v !== undefined)
          .map(([k, v]) => [k, String(v)]),
      ),
    };
    const res = await this.#fetch(url, {
      method,
      headers: await this.#authenticate({ method, url, headers, body }),
      body,
      redirect: 'manual',
    });
    const text = await res.text();
    if (res.status >= 400) throw LatchkeyError.fromAnswer(res.status, text, res.statusText);
    if (!text) return undefined as Answer<Id>;
    // CSV is the only answer of the API that is not JSON; anything else unreadable is the API's fault.
    if (res.headers.get('content-type')?.includes('text/csv')) return text as unknown as Answer<Id>;
    try {
      return JSON.parse(text) as Answer<Id>;
    } catch {
      throw new LatchkeyError(
        res.status,
        'NOT_JSON',
        `${url.pathname} answered something other than JSON`,
        [],
        undefined,
        { statusText: res.statusText },
      );
    }
  }

  /** Every item of a list operation, page after page (the query's `cursor` is where it starts). */
  all<Id extends ListOperation>(id: Id, query: Query<Id> = {} as Query<Id>): AsyncGenerator<ItemOf<Id>> {
    return paginate(
      (cursor) =>
        this.call(id, {
          query: { ...query, ...(cursor ? { cursor } : {}) },
        } as Input<Id>) as unknown as Promise<Page<ItemOf<Id>>>,
    );
  }

  #search(query: object | undefined): string {
    const pairs = Object.entries(query ?? {}).flatMap(([name, value]) =>
      value === undefined
        ? []
        : (Array.isArray(value) ? value : [value]).map((v) => `${rfc3986(name)}=${rfc3986(String(v))}`),
    );
    return pairs.length ? `?${pairs.join('&')}` : '';
  }

  async #authenticate(request: RequestToSign): Promise<Record<string, string>> {
    const { token, aws } = this.#options;
    if (token) return { ...request.headers, authorization: `Bearer ${token}` };
    if (!aws) return { ...request.headers };
    this.#signer ??= import('./sigv4.ts').then(({ createSigner }) => {
      const given = aws === true ? {} : aws;
      const region = given.region ?? regionFromHost(request.url.hostname);
      if (!region)
        throw new TypeError(
          `no AWS region for ${this.baseUrl}: give aws.region (a custom domain carries none)`,
        );
      return createSigner({ ...given, region });
    });
    return (await this.#signer)(request);
  }

  /** Keys: create, list, read, change, revoke, rotate, delete, import. */
  readonly keys = {
    create: (body: Body<'createKey'> = {}) => this.call('createKey', { body }),
    list: (query?: Query<'listKeys'>) => this.call('listKeys', { query }),
    /** Every key matching the query, across pages. */
    all: (query?: Query<'listKeys'>) => this.all('listKeys', query),
    get: (keyId: string) => this.call('getKey', { path: { keyId } }),
    update: (keyId: string, body: Body<'updateKey'>, options: Conditional = {}) =>
      this.call('updateKey', {
        path: { keyId },
        body,
        header: ifMatchHeader(options),
      }),
    revoke: (keyId: string) => this.call('revokeKey', { path: { keyId }, body: {} }),
    rotate: (keyId: string, body: Body<'rotateKey'> = {}, options: { idempotencyKey?: string } = {}) =>
      this.call('rotateKey', {
        path: { keyId },
        body,
        header: options.idempotencyKey ? { 'Idempotency-Key': options.idempotencyKey } : {},
      }),
    delete: (keyId: string) => this.call('deleteKey', { path: { keyId } }),
    usage: (keyId: string, query?: Query<'getKeyUsage'>) =>
      this.call('getKeyUsage', { path: { keyId }, query }),
    /** The key's recent requests, newest first: one page. */
    requests: (keyId: string, query: Omit<Query<'listKeyRequests'>, 'format'> = {}) =>
      this.call('listKeyRequests', { path: { keyId }, query: { ...query, format: 'json' } }) as Promise<
        Exclude<Answer<'listKeyRequests'>, string>
      >,
    /** The same page as CSV (its next cursor is in the `Latchkey-Next-Cursor` header). */
    requestsCsv: (keyId: string, query: Omit<Query<'listKeyRequests'>, 'format'> = {}) =>
      this.call('listKeyRequests', {
        path: { keyId },
        query: { ...query, format: 'csv' },
      }) as Promise<string>,
    /** Every request of the key the log holds, page after page. */
    allRequests: (keyId: string, query: Omit<Query<'listKeyRequests'>, 'format' | 'cursor'> = {}) =>
      paginate((cursor) => this.keys.requests(keyId, { ...query, ...(cursor ? { cursor } : {}) })),
    quota: (keyId: string) => this.call('getKeyQuota', { path: { keyId } }),
    import: (body: Body<'importKeys'>) => this.call('importKeys', { body }),
    /** The kill switch: a dry run (`dryRun: true`) gives the `confirm` a run needs. */
    bulk: (body: Body<'bulkKeys'>) => this.call('bulkKeys', { body }),
    /** Lengthens the grace of a key a rotation replaced. */
    extendGrace: (keyId: string, body: Body<'extendGrace'>) =>
      this.call('extendGrace', { path: { keyId }, body }),
  };

  /** Usage across keys, most active first. */
  readonly usage = {
    overview: (query?: Query<'getUsageOverview'>) => this.call('getUsageOverview', { query }),
    all: (query?: Query<'getUsageOverview'>) => this.all('getUsageOverview', query),
  };

  readonly plans = { list: () => this.call('listPlans') };

  readonly audit = {
    list: (query?: Query<'listAudit'>) => this.call('listAudit', { query }),
    all: (query?: Query<'listAudit'>) => this.all('listAudit', query),
  };

  readonly roles = {
    list: () => this.call('listRoles'),
    create: (body: Body<'createRole'>) => this.call('createRole', { body }),
    get: (name: string) => this.call('getRole', { path: { name } }),
    put: (name: string, body: Body<'putRole'>, options: Conditional = {}) =>
      this.call('putRole', {
        path: { name },
        body,
        header: ifMatchHeader(options),
      }),
    delete: (name: string) => this.call('deleteRole', { path: { name } }),
  };

  readonly rotation = {
    sweep: (body: Body<'runRotationSweep'> = {}) => this.call('runRotationSweep', { body }),
  };

  /** Lifecycle events (the local server's log of what goes to EventBridge in AWS). */
  readonly events = {
    list: (query?: Query<'listEvents'>) => this.call('listEvents', { query }),
    all: (query?: Query<'listEvents'>) => this.all('listEvents', query),
  };

  readonly leaks = {
    report: (body: Body<'reportLeak'>) => this.call('reportLeak', { body }),
    /** The public report of found secrets: needs no credentials, answers the same whatever was sent. */
    revokeCredentials: (body: Body<'revokeCredentials'>) => this.call('revokeCredentials', { body }),
  };

  readonly reports = {
    compliance: (query: Omit<Query<'getComplianceReport'>, 'format'> = {}) =>
      this.call('getComplianceReport', { query: { ...query, format: 'json' } }) as Promise<ComplianceJson>,
    complianceCsv: (query: Omit<Query<'getComplianceReport'>, 'format'> = {}) =>
      this.call('getComplianceReport', { query: { ...query, format: 'csv' } }) as Promise<string>,
  };

  readonly pepper = {
    list: () => this.call('listPepperVersions'),
    rotate: () => this.call('rotatePepper', { body: {} }),
    retire: (version: string) => this.call('retirePepperVersion', { path: { version }, body: {} }),
  };

  readonly portalSessions = {
    create: (body: Body<'createPortalSession'>) => this.call('createPortalSession', { body }),
    delete: (sessionId: string) => this.call('deletePortalSession', { path: { sessionId } }),
  };

  /**
   * The portal page's API, for a browser page on the portal's origin: the session cookie is the
   * credential (the browser sends it), so this client is made with neither token nor aws.
   */
  readonly portal = {
    session: () => this.call('getPortalSession'),
    logout: () => this.call('logoutPortal'),
    keys: {
      list: (query?: Query<'listPortalKeys'>) => this.call('listPortalKeys', { query }),
      all: (query?: Query<'listPortalKeys'>) => this.all('listPortalKeys', query),
      create: (body: Body<'createPortalKey'> = {}) => this.call('createPortalKey', { body }),
      get: (keyId: string) => this.call('getPortalKey', { path: { keyId } }),
      update: (keyId: string, body: Body<'updatePortalKey'>, options: Conditional = {}) =>
        this.call('updatePortalKey', {
          path: { keyId },
          body,
          header: ifMatchHeader(options),
        }),
      delete: (keyId: string) => this.call('deletePortalKey', { path: { keyId } }),
      revoke: (keyId: string) => this.call('revokePortalKey', { path: { keyId } }),
      rotate: (keyId: string, body: Body<'rotatePortalKey'> = {}) =>
        this.call('rotatePortalKey', { path: { keyId }, body }),
      usage: (keyId: string, query?: Query<'getPortalKeyUsage'>) =>
        this.call('getPortalKeyUsage', { path: { keyId }, query }),
    },
  };

  /** The authorizer's decision on a secret, for a backend that is not behind API Gateway. */
  verify(body: Body<'verifyKey'>) {
    return this.call('verifyKey', { body });
  }

  /** The caller as the API sees it: the actor the audit trail names. */
  whoAmI() {
    return this.call('whoAmI');
  }

  /** The API's OpenAPI 3.1 document. */
  openApiDocument() {
    return this.call('getOpenApiDocument');
  }

  /** Readiness: whether the service reads its keys table (a 503 is a LatchkeyError). */
  health() {
    return this.call('getHealth');
  }
}

type ComplianceJson = Exclude<Answer<'getComplianceReport'>, string>;

/** The operations that answer pages (`items`, `nextCursor`), take a `cursor` and need no path. */
export type ListOperation = {
  [Id in OperationId]: Answer<Id> extends Page<unknown>
    ? Query<Id> extends { cursor?: string }
      ? Input<Id> extends { path: object }
        ? never
        : Id
      : never
    : never;
}[OperationId];
