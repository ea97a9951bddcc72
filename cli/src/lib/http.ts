import type { Target } from './config.ts';
import { ApiRefusal, NetworkFailure, ServerFailure, UsageError } from './errors.ts';
import type { RequestSigner } from './sigv4.ts';

export type Query = Readonly<Record<string, string | number | boolean | undefined>>;

export interface ApiRequest {
  readonly method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** Under the base URL, e.g. `/v1/keys`. */
  readonly path: string;
  readonly query?: Query;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /** The body is not JSON (CSV, say): answer its text as it came. */
  readonly raw?: boolean;
  /** What the request names (a key, a role): when the API has no such thing, the error says so. */
  readonly subject?: Subject;
}

/** A thing a request is about, e.g. `{ name: 'key key_…', field: 'path.keyId' }`. */
export interface Subject {
  /** As a person says it: `key key_…`, `role support`. */
  readonly name: string;
  /**
   * The request field that carries it, as a 400's details name fields. A value the API will not
   * even read there (`key_nope`) names nothing that exists, like a 404.
   */
  readonly field: string;
}

export interface ApiResponse<T> {
  readonly status: number;
  readonly headers: Headers;
  /** The parsed JSON body; undefined for an empty one (204). */
  readonly body: T;
}

const TIMEOUT_MS = 30_000;

const rfc3986 = (text: string) =>
  encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

interface ErrorBody {
  error?: { code?: unknown; message?: unknown; details?: unknown; requestId?: unknown };
  message?: unknown;
  Message?: unknown;
}

const fieldsOf = (details: unknown): unknown[] =>
  Array.isArray(details)
    ? details.map((d) => (d && typeof d === 'object' && 'field' in d ? d.field : undefined))
    : [];

/** The API has no such subject: a 404, or a 400 about nothing but the field that names it. */
function absent(subject: Subject, status: number, code: string | undefined, details: unknown): boolean {
  if (status === 404) return code === 'NOT_FOUND';
  const fields = fieldsOf(details);
  return status === 400 && fields.length > 0 && fields.every((f) => f === subject.field);
}

function detailLines(details: unknown): string[] {
  if (!Array.isArray(details)) return [];
  return details.map((d) => {
    if (d && typeof d === 'object' && 'field' in d && 'message' in d) return `- ${d.field}: ${d.message}`;
    return `- ${typeof d === 'string' ? d : JSON.stringify(d)}`;
  });
}

/**
 * The management API over HTTP: JSON in and out, the admin token locally, SigV4 with an
 * endpoint. A 4xx becomes an ApiRefusal, a 5xx a ServerFailure, no answer a NetworkFailure.
 */
export class ApiClient {
  private signer?: Promise<RequestSigner>;
  /** The target's URL, or the one the local data folder names once the target's did not answer. */
  private base: string;

  constructor(
    readonly target: Target,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {
    this.base = target.baseUrl;
  }

  /** Where requests go now. */
  get baseUrl(): string {
    return this.base;
  }

  /**
   * The request URL. The query is encoded the way SigV4 canonicalises it (RFC 3986: a space is
   * %20, never +), so API Gateway reads exactly the query that was signed.
   */
  url(path: string, query: Query = {}): URL {
    const search = Object.entries(query)
      .filter(([, value]) => value !== undefined)
      .map(([name, value]) => `${rfc3986(name)}=${rfc3986(String(value))}`)
      .join('&');
    return new URL(`${this.base}${path}${search ? `?${search}` : ''}`);
  }

  private async authHeaders(method: string, url: URL, headers: Record<string, string>, body?: string) {
    const target = this.target;
    if (target.mode === 'local') return { ...headers, authorization: `Bearer ${await target.token()}` };
    this.signer ??= import('./sigv4.ts').then(({ createSigner }) =>
      createSigner({ region: target.region, profile: target.profile }),
    );
    const sign = await this.signer;
    try {
      return await sign({ method, url, headers, body });
    } catch (cause) {
      const message = `could not load AWS credentials: ${(cause as Error).message}`;
      const hint = target.profile
        ? `profile ${target.profile}: check ~/.aws/config, or run \`aws sso login --profile ${target.profile}\``
        : 'set AWS_PROFILE or pass --profile, or run `aws sso login`';
      // No provider had credentials: the user's to fix. Anything else failed on the way (a fault).
      if ((cause as Error).name === 'CredentialsProviderError') throw new UsageError(message, [hint]);
      throw new NetworkFailure(message, [hint]);
    }
  }

  /** One attempt at the current base URL; a connection that fails is `{ unreachable: reason }`. */
  private async send(
    request: ApiRequest,
  ): Promise<{ response: Response; url: URL } | { unreachable: string }> {
    const url = this.url(request.path, request.query);
    const body = request.body === undefined ? undefined : JSON.stringify(request.body);
    const headers = await this.authHeaders(
      request.method,
      url,
      {
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...request.headers,
      },
      body,
    );
    try {
      const response = await this.fetchImpl(url, {
        method: request.method,
        headers,
        body,
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      return { response, url };
    } catch (cause) {
      const inner = (cause as { cause?: { code?: string; message?: string } }).cause;
      return { unreachable: inner?.code ?? inner?.message ?? (cause as Error).message };
    }
  }

  /**
   * Sends a request. Locally, when nothing listens at the default URL, the URL the data folder's
   * server recorded (`npm start` with another PORT) is tried, and kept for later requests.
   */
  private async reach(request: ApiRequest): Promise<{ response: Response; url: URL }> {
    const first = await this.send(request);
    if (!('unreachable' in first)) return first;
    const tried = this.base;
    const target = this.target;
    if (target.mode !== 'local') {
      throw new NetworkFailure(`could not reach ${tried} (${first.unreachable})`, [
        'check --endpoint and your network',
      ]);
    }
    const hint = 'is the local server running (`npm start`)? LATCHKEY_URL or --endpoint point elsewhere';
    const recorded = first.unreachable === 'ECONNREFUSED' ? await target.recorded?.() : undefined;
    if (!recorded || recorded.url === tried) {
      throw new NetworkFailure(`could not reach ${tried} (${first.unreachable})`, [hint]);
    }
    this.base = recorded.url;
    const second = await this.send(request);
    if (!('unreachable' in second)) return second;
    throw new NetworkFailure(
      `could not reach ${tried} (${first.unreachable}), nor ${recorded.url} (${second.unreachable}), which ${recorded.file} names`,
      [`${hint}; a server that stops removes ${recorded.file}, so the one named there did not stop cleanly`],
    );
  }

  async request<T = unknown>(request: ApiRequest): Promise<ApiResponse<T>> {
    const { response, url } = await this.reach(request);
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    if (response.ok) {
      if (request.raw) return { status: response.status, headers: response.headers, body: text as T };
      if (parsed === undefined && text) {
        throw new ServerFailure(`${url.pathname} answered something other than JSON`);
      }
      return { status: response.status, headers: response.headers, body: parsed as T };
    }
    throw this.failure(request, response, parsed as ErrorBody | undefined);
  }

  private failure(request: ApiRequest, response: Response, body: ErrorBody | undefined) {
    const status = response.status;
    const error = body?.error;
    const apiCode = typeof error?.code === 'string' ? error.code : undefined;
    if (request.subject && absent(request.subject, status, apiCode, error?.details)) {
      return new ApiRefusal(`no ${request.subject.name}`);
    }
    const said = String(
      error?.message ?? body?.message ?? body?.Message ?? (response.statusText || 'no message'),
    );
    const details = detailLines(error?.details);
    const target = this.target;
    if (status === 401 && target.mode === 'local') {
      const fromEnv = target.tokenSource === 'LATCHKEY_ADMIN_TOKEN';
      return new ApiRefusal(`the admin token in ${target.tokenSource} was refused by ${this.base}`, [
        fromEnv
          ? 'set LATCHKEY_ADMIN_TOKEN to the token `npm start` printed, or unset it to use the one in the data folder'
          : 'that server keeps its token in another data folder: set LATCHKEY_DATA_DIR to it, or LATCHKEY_ADMIN_TOKEN to the token `npm start` printed',
      ]);
    }
    // API Gateway's own refusals (IAM, throttling, unknown paths) are `{ "message" }`: said as gh does, `HTTP 403: …`.
    const message = apiCode ? said : `HTTP ${status}: ${said}`;
    if (status === 403 && target.mode === 'aws') {
      details.push(
        /Missing Authentication Token/i.test(message)
          ? `no such resource: --endpoint must be the stage URL (e.g. https://<id>.execute-api.<region>.amazonaws.com/v1)`
          : 'your AWS identity needs the management API grant for this call (api.key.view, .create, .update or .delete)',
      );
    }
    if (status >= 500) {
      const requestId = typeof error?.requestId === 'string' ? error.requestId : undefined;
      return new ServerFailure(`the server failed (HTTP ${status}): ${said}`, [
        ...details,
        ...(requestId ? [`request ID: ${requestId}`] : []),
      ]);
    }
    return new ApiRefusal(message, details);
  }
}
