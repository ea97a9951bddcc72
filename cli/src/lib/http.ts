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
  error?: { code?: unknown; message?: unknown; details?: unknown };
  message?: unknown;
  Message?: unknown;
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

  constructor(
    readonly target: Target,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  /**
   * The request URL. The query is encoded the way SigV4 canonicalises it (RFC 3986: a space is
   * %20, never +), so API Gateway reads exactly the query that was signed.
   */
  url(path: string, query: Query = {}): URL {
    const search = Object.entries(query)
      .filter(([, value]) => value !== undefined)
      .map(([name, value]) => `${rfc3986(name)}=${rfc3986(String(value))}`)
      .join('&');
    return new URL(`${this.target.baseUrl}${path}${search ? `?${search}` : ''}`);
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
      if ((cause as Error).name === 'CredentialsProviderError')
        throw new UsageError(message, [hint], 'CREDENTIALS');
      throw new NetworkFailure('CREDENTIALS', message, [hint]);
    }
  }

  async request<T = unknown>(request: ApiRequest): Promise<ApiResponse<T>> {
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
    let response: Response;
    try {
      response = await this.fetchImpl(url, {
        method: request.method,
        headers,
        body,
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (cause) {
      const inner = (cause as { cause?: { code?: string; message?: string } }).cause;
      const reason = inner?.code ?? inner?.message ?? (cause as Error).message;
      const hint =
        this.target.mode === 'local'
          ? 'is the local server running (`npm start`)? LATCHKEY_URL or --endpoint point elsewhere'
          : 'check --endpoint and your network';
      throw new NetworkFailure('UNREACHABLE', `could not reach ${this.target.baseUrl} (${reason})`, [hint]);
    }
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
        throw new ServerFailure(
          response.status,
          'BAD_RESPONSE',
          `${url.pathname} answered something other than JSON`,
        );
      }
      return { status: response.status, headers: response.headers, body: parsed as T };
    }
    throw this.failure(response, parsed as ErrorBody | undefined);
  }

  private failure(response: Response, body: ErrorBody | undefined) {
    const status = response.status;
    const error = body?.error;
    // API Gateway's own refusals (IAM, throttling, unknown paths) are `{ "message" }`.
    const code =
      typeof error?.code === 'string'
        ? error.code
        : (response.headers.get('x-amzn-errortype')?.split(':')[0] ?? `HTTP_${status}`);
    const message = String(
      error?.message ?? body?.message ?? body?.Message ?? (response.statusText || 'no message'),
    );
    const details = detailLines(error?.details);
    if (status === 401 && this.target.mode === 'local') {
      details.push(
        `the admin token comes from ${this.target.tokenSource}; \`npm start\` prints the current one`,
      );
    }
    if (status === 403 && this.target.mode === 'aws') {
      details.push(
        /Missing Authentication Token/i.test(message)
          ? `no such resource: --endpoint must be the stage URL (e.g. https://<id>.execute-api.<region>.amazonaws.com/prod)`
          : 'your AWS identity needs the management API grant for this call (api.key.view, .create, .update or .delete)',
      );
    }
    if (status >= 500) return new ServerFailure(status, code, message, details);
    return new ApiRefusal(status, code, message, details);
  }
}
