import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { LatchkeyClient, LatchkeyError } from '#client/index.ts';
import type { Target } from './config.ts';
import { ApiRefusal, NetworkFailure, ServerFailure, UsageError } from './errors.ts';

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

const TIMEOUT_MS = 30_000;

/** fetch threw: nothing answered at the base URL (the reason is the connection's error code). */
class Unreachable extends Error {}

interface ErrorBody {
  error?: { code?: unknown; message?: unknown; details?: unknown };
  message?: unknown;
  Message?: unknown;
}

const fieldsOf = (details: readonly unknown[]): unknown[] =>
  details.map((d) => (d && typeof d === 'object' && 'field' in d ? d.field : undefined));

/** The API has no such subject: a 404, or a 400 about nothing but the field that names it. */
function absent(subject: Subject, status: number, code: string | undefined, details: readonly unknown[]) {
  if (status === 404) return code === 'NOT_FOUND';
  const fields = fieldsOf(details);
  return status === 400 && fields.length > 0 && fields.every((f) => f === subject.field);
}

function detailLines(details: readonly unknown[]): string[] {
  return details.map((d) => {
    if (d && typeof d === 'object' && 'field' in d && 'message' in d) return `- ${d.field}: ${d.message}`;
    return `- ${typeof d === 'string' ? d : JSON.stringify(d)}`;
  });
}

/**
 * The operator's AWS credentials: the standard chain (with --profile, that profile), loaded on
 * first use. A chain that finds none is the user's to fix (a usage error), one that fails on the
 * way a fault.
 */
export function operatorCredentials(profile: string | undefined): AwsCredentialIdentityProvider {
  let chain: Promise<AwsCredentialIdentityProvider> | undefined;
  return async () => {
    try {
      chain ??= import('@aws-sdk/credential-providers').then(({ fromNodeProviderChain }) =>
        fromNodeProviderChain(profile ? { profile } : {}),
      );
      return await (await chain)();
    } catch (cause) {
      const message = `could not load AWS credentials: ${(cause as Error).message}`;
      const hint = profile
        ? `profile ${profile}: check ~/.aws/config, or run \`aws sso login --profile ${profile}\``
        : 'set AWS_PROFILE or pass --profile, or run `aws sso login`';
      if ((cause as Error).name === 'CredentialsProviderError') throw new UsageError(message, [hint]);
      throw new NetworkFailure(message, [hint]);
    }
  };
}

/**
 * The management API for the CLI: every call goes through @latchkey/client (the admin token
 * locally, SigV4 with an endpoint), and its failures become the CLI's: a 4xx an ApiRefusal, a 5xx
 * a ServerFailure, no answer a NetworkFailure, missing credentials a UsageError.
 */
export class ApiClient {
  private client?: Promise<LatchkeyClient>;
  /** The target's URL, or the one the local data folder names once the target's did not answer. */
  private base: string;
  /** What requests to a deployed API are signed with (undefined for the local server). */
  readonly credentials: AwsCredentialIdentityProvider | undefined;

  constructor(
    readonly target: Target,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {
    this.base = target.baseUrl;
    this.credentials = target.mode === 'aws' ? operatorCredentials(target.profile) : undefined;
  }

  /** Where requests go now. */
  get baseUrl(): string {
    return this.base;
  }

  /**
   * One call of the client, e.g. `api.call((c) => c.keys.get(id), keySubject(id))`. Locally, when
   * nothing listens at the default URL, the URL the data folder's server recorded (`npm start`
   * with another PORT) is tried, and kept for later calls.
   */
  async call<T>(send: (client: LatchkeyClient) => Promise<T>, subject?: Subject): Promise<T> {
    try {
      return await this.reach(send);
    } catch (error) {
      if (error instanceof LatchkeyError) throw this.failure(error, subject);
      throw error;
    }
  }

  private async reach<T>(send: (client: LatchkeyClient) => Promise<T>): Promise<T> {
    const tried = this.base;
    let first: Unreachable;
    try {
      return await send(await this.latchkey());
    } catch (error) {
      if (!(error instanceof Unreachable)) throw error;
      first = error;
    }
    const target = this.target;
    if (target.mode !== 'local') {
      throw new NetworkFailure(`could not reach ${tried} (${first.message})`, [
        'check --endpoint and your network',
      ]);
    }
    const hint = 'is the local server running (`npm start`)? LATCHKEY_URL or --endpoint point elsewhere';
    const recorded = first.message === 'ECONNREFUSED' ? await target.recorded?.() : undefined;
    if (!recorded || recorded.url === tried) {
      throw new NetworkFailure(`could not reach ${tried} (${first.message})`, [hint]);
    }
    this.base = recorded.url;
    this.client = undefined;
    try {
      return await send(await this.latchkey());
    } catch (error) {
      if (!(error instanceof Unreachable)) throw error;
      throw new NetworkFailure(
        `could not reach ${tried} (${first.message}), nor ${recorded.url} (${error.message}), which ${recorded.file} names`,
        [
          `${hint}; a server that stops removes ${recorded.file}, so the one named there did not stop cleanly`,
        ],
      );
    }
  }

  /** The client for the current base URL, with the target's credentials. */
  private latchkey(): Promise<LatchkeyClient> {
    this.client ??= this.make();
    return this.client;
  }

  private async make(): Promise<LatchkeyClient> {
    const target = this.target;
    const fetchImpl = this.fetchImpl;
    const options = {
      baseUrl: this.base,
      fetch: async (input: string | URL | Request, init?: RequestInit) => {
        try {
          return await fetchImpl(input, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS) });
        } catch (cause) {
          const inner = (cause as { cause?: { code?: string; message?: string } }).cause;
          throw new Unreachable(inner?.code ?? inner?.message ?? (cause as Error).message);
        }
      },
    };
    if (target.mode === 'local') return new LatchkeyClient({ ...options, token: await target.token() });
    return new LatchkeyClient({
      ...options,
      aws: { region: target.region, credentials: this.credentials },
    });
  }

  private failure(error: LatchkeyError, subject: Subject | undefined) {
    const { status } = error;
    // A success the client could not read (not JSON).
    if (status < 400) return new ServerFailure(error.message);
    const body = error.answer.body as ErrorBody | undefined;
    const apiError = body && typeof body === 'object' ? body.error : undefined;
    const apiCode = typeof apiError?.code === 'string' ? apiError.code : undefined;
    if (subject && absent(subject, status, apiCode, error.details)) {
      return new ApiRefusal(`no ${subject.name}`);
    }
    const said = String(
      apiError?.message ?? body?.message ?? body?.Message ?? (error.answer.statusText || 'no message'),
    );
    const details = detailLines(error.details);
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
      return new ServerFailure(`the server failed (HTTP ${status}): ${said}`, [
        ...details,
        ...(error.requestId ? [`request ID: ${error.requestId}`] : []),
      ]);
    }
    return new ApiRefusal(message, details);
  }
}
