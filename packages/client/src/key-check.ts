import { type ClientOptions, LatchkeyClient } from './client.ts';
import type { ApiKey, VerifyResult } from './types.ts';

/**
 * The one key check the framework middlewares share: the secret read from the request as the
 * authorizer reads it, decided by POST /v1/verify, refused with the authorizer's codes and
 * statuses. The adapters (express.ts, fastify.ts, hono.ts) only translate.
 */

export type RefusalCode = Exclude<VerifyResult['code'], 'VALID'>;

/**
 * Each refusal's status, as the authorizer gives it: a credential that does not authenticate is a
 * 401, an authenticated key that is not allowed a 403. The compiler holds this to the API's codes.
 */
export const REFUSAL_STATUS: Readonly<Record<RefusalCode, 401 | 403>> = {
  MISSING: 401,
  MALFORMED: 401,
  NOT_FOUND: 401,
  INVALID_SECRET: 401,
  REVOKED: 401,
  DISABLED: 401,
  EXPIRED: 401,
  IP_NOT_ALLOWED: 403,
  WORKSPACE_NOT_ALLOWED: 403,
  INSUFFICIENT_PERMISSIONS: 403,
};

const REFUSAL_MESSAGE: Readonly<Record<RefusalCode, string>> = {
  MISSING: 'an API key is needed: send it as Authorization: Bearer <key> or x-api-key',
  MALFORMED: 'the API key is not valid',
  NOT_FOUND: 'the API key is not valid',
  INVALID_SECRET: 'the API key is not valid',
  REVOKED: 'the API key has been revoked',
  DISABLED: 'the API key is disabled',
  EXPIRED: 'the API key has expired',
  IP_NOT_ALLOWED: "the request comes from an address that is not in the key's IP allowlist",
  WORKSPACE_NOT_ALLOWED: "the workspace this request is for is not among the key's workspaces",
  INSUFFICIENT_PERMISSIONS: "the route needs a permission that the key's roles and permissions do not grant",
};

/** The permission a request needs when nothing else says: the authorizer's defaults by method. */
export const DEFAULT_METHOD_PERMISSIONS: Readonly<Record<string, string>> = {
  GET: 'api:read',
  HEAD: 'api:read',
  OPTIONS: 'api:read',
  POST: 'api:write',
  PUT: 'api:write',
  PATCH: 'api:write',
  DELETE: 'api:write',
};

/** What the backend learns of the caller: the key (never its secret), what it grants, and who acts. */
export interface KeyContext
  extends Pick<ApiKey, 'keyId' | 'name' | 'owner' | 'type' | 'roles' | 'scope' | 'environment' | 'metadata'> {
  /** What the key's roles and permissions grant. */
  readonly permissions: readonly string[];
  /** Who the audit trail names: a service key's name, else its owner. */
  readonly actor: string;
  readonly key: ApiKey;
}

/** How long a decision may answer requests, and how many are kept. */
export interface KeyCacheOptions {
  /** Seconds, at most 10 (the authorizer's bound). A revoked key may pass this long after its revocation. */
  readonly seconds: number;
  /** Decisions kept; the least recently used go first. @default 10000 */
  readonly maxEntries?: number;
}

export const KEY_CACHE_MAX_SECONDS = 10;

/** The middlewares' options; `R` is the framework's request. */
export interface KeyCheckOptions<R> {
  /** The Latchkey API: a client, or the options of one (`token` locally, `aws` for a deployed API). */
  readonly client: LatchkeyClient | ClientOptions;
  /**
   * The permission the request needs, or a function of the request giving it (undefined: none).
   * @default the authorizer's by method: `api:read` for GET, HEAD and OPTIONS, `api:write` otherwise
   */
  readonly permission?: string | ((request: R) => string | undefined);
  /**
   * The workspace the request is for (a header, a path parameter); when this is set and gives
   * nothing, the key is refused WORKSPACE_NOT_ALLOWED, as by the authorizer.
   * @default no workspace check
   */
  readonly workspace?: (request: R) => string | undefined;
  /** The one header the key is read from (the authorizer's `LATCHKEY_KEY_HEADER`). @default Authorization: Bearer or x-api-key */
  readonly keyHeader?: string;
  /** The caller's address, for keys with an IP allowlist. @default the framework's request IP */
  readonly sourceIp?: (request: R) => string | undefined;
  /** An in-process cache of decisions. @default off: every request is checked */
  readonly cache?: KeyCacheOptions;
  /** Told of every check that could not be made (the request was refused with a 500). */
  readonly onError?: (error: unknown) => void;
}

/** What a framework adapter hands the check. */
export interface CheckRequest {
  readonly method: string;
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  /** The framework's address of the caller: what `sourceIp` falls back to. */
  readonly sourceIp: string | undefined;
}

export type CheckOutcome =
  | { readonly allowed: true; readonly context: KeyContext }
  | {
      readonly allowed: false;
      readonly status: 401 | 403 | 500;
      readonly body: { readonly error: { readonly code: string; readonly message: string } };
    };

const LATCHKEY_PREFIX = /^lk_(live|test)_/;
/** Two different Latchkey keys in one request: never guess which is meant (the API finds it MALFORMED). */
const AMBIGUOUS = 'ambiguous: two different keys';

const header = (headers: CheckRequest['headers'], name: string) => {
  const value = headers[name];
  return (Array.isArray(value) ? value[0] : (value as string | undefined))?.trim() || undefined;
};

/**
 * The request's secret, as the authorizer reads it: the configured header only, else
 * `Authorization: Bearer …` or `x-api-key`; when both are sent, the one with a Latchkey prefix.
 */
export function secretFrom(headers: CheckRequest['headers'], keyHeader?: string): string | undefined {
  const authorization = header(headers, 'authorization');
  const bearer = authorization ? (/^Bearer\s+(\S+)$/i.exec(authorization)?.[1] ?? authorization) : undefined;
  const apiKey = header(headers, 'x-api-key');
  if (keyHeader) {
    const name = keyHeader.toLowerCase();
    return name === 'authorization' ? bearer : header(headers, name);
  }
  if (!bearer || !apiKey || bearer === apiKey) return bearer ?? apiKey;
  const [a, x] = [LATCHKEY_PREFIX.test(bearer), LATCHKEY_PREFIX.test(apiKey)];
  if (a && x) return AMBIGUOUS;
  if (x) return apiKey;
  return authorization?.match(/^Bearer\s/i) || a ? bearer : apiKey;
}

const refusal = (code: RefusalCode): CheckOutcome => ({
  allowed: false,
  status: REFUSAL_STATUS[code],
  body: { error: { code, message: REFUSAL_MESSAGE[code] } },
});

const FAILURE: CheckOutcome = {
  allowed: false,
  status: 500,
  body: {
    error: {
      code: 'AUTHORIZER_FAILURE',
      message: 'the key could not be checked; the request was not let through',
    },
  },
};

type Verify = (body: {
  key: string;
  permission?: string;
  workspaceId?: string;
  sourceIp?: string;
}) => Promise<VerifyResult>;

/**
 * Decisions for at most `seconds`, counted from when the verify request began, so a revocation
 * reaches this process within `seconds`; concurrent checks of one request coalesce into one call,
 * and failures are never kept. Keyed by a SHA-256 of the secret, never the secret itself.
 */
function cachedVerify(verify: Verify, options: KeyCacheOptions, now: () => number): Verify {
  const ttlMs = options.seconds * 1000;
  const max = options.maxEntries ?? 10_000;
  const entries = new Map<string, { expires: number; answer: Promise<VerifyResult> }>();
  return async (body) => {
    const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(body.key));
    const hash = Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
    const id = [hash, body.permission, body.workspaceId, body.sourceIp].map((part) => part ?? '').join('\n');
    const hit = entries.get(id);
    if (hit && now() < hit.expires) {
      // Least recently used goes first: a hit moves to the end.
      entries.delete(id);
      entries.set(id, hit);
      return hit.answer;
    }
    const entry = { expires: now() + ttlMs, answer: verify(body) };
    entries.delete(id);
    entries.set(id, entry);
    if (entries.size > max) entries.delete(entries.keys().next().value as string);
    entry.answer.catch(() => {
      if (entries.get(id) === entry) entries.delete(id);
    });
    return entry.answer;
  };
}

/** The check, made once per middleware: `check(request, permission, workspace)` decides one request. */
export function createKeyCheck<R>(options: KeyCheckOptions<R>) {
  const { cache } = options;
  if (
    cache &&
    !(Number.isFinite(cache.seconds) && cache.seconds >= 0 && cache.seconds <= KEY_CACHE_MAX_SECONDS)
  )
    throw new RangeError(`cache.seconds must be 0 to ${KEY_CACHE_MAX_SECONDS}, got ${cache.seconds}`);
  if (cache?.maxEntries !== undefined && !(Number.isInteger(cache.maxEntries) && cache.maxEntries > 0))
    throw new RangeError(`cache.maxEntries must be a whole number above 0, got ${cache.maxEntries}`);
  const client =
    options.client instanceof LatchkeyClient ? options.client : new LatchkeyClient(options.client);
  const direct: Verify = (body) => client.verify(body);
  const verify = cache?.seconds ? cachedVerify(direct, cache, () => performance.now()) : direct;

  return async (request: CheckRequest, raw: R): Promise<CheckOutcome> => {
    const secret = secretFrom(request.headers, options.keyHeader);
    if (!secret) return refusal('MISSING');
    const permission =
      typeof options.permission === 'function'
        ? options.permission(raw)
        : (options.permission ??
          DEFAULT_METHOD_PERMISSIONS[request.method.toUpperCase()] ??
          `api:${request.method.toLowerCase()}`);
    const workspaceId = options.workspace?.(raw);
    const sourceIp = options.sourceIp?.(raw) ?? request.sourceIp;
    let answer: VerifyResult;
    try {
      answer = await verify({
        key: secret,
        ...(permission ? { permission } : {}),
        ...(workspaceId ? { workspaceId } : {}),
        ...(sourceIp ? { sourceIp } : {}),
      });
    } catch (error) {
      options.onError?.(error);
      return FAILURE;
    }
    // The authorizer checks the workspace before permissions: a key past its IP check, asked for no workspace, is refused.
    const workspaceMissing = options.workspace !== undefined && !workspaceId;
    if (workspaceMissing && (answer.code === 'VALID' || answer.code === 'INSUFFICIENT_PERMISSIONS'))
      return refusal('WORKSPACE_NOT_ALLOWED');
    if (answer.code !== 'VALID') return refusal(answer.code);
    const key = answer.key as ApiKey;
    return {
      allowed: true,
      context: {
        keyId: key.keyId,
        name: key.name,
        owner: key.owner,
        type: key.type,
        roles: key.roles,
        scope: key.scope,
        environment: key.environment,
        metadata: key.metadata,
        permissions: answer.permissions ?? [],
        actor: key.type === 'service' ? key.name : key.owner,
        key,
      },
    };
  };
}
