import { createPublicKey, type KeyObject, verify } from 'node:crypto';
import { z } from 'zod';
import { ApiError } from '#domain/shared/errors.ts';

/**
 * GitHub's secret scanning signing keys: fetched from a URL (`{ public_keys: [{ key_identifier,
 * key, is_current }] }`, PEM), kept for `maxAgeMs`, and fetched again once when a request names a
 * key identifier the list does not hold (GitHub rotated its key), at most every `minRefetchMs`,
 * so requests naming made-up identifiers cannot make this service hammer the URL. Concurrent
 * requests share one fetch. A failed refresh keeps the keys it had.
 */
export const GITHUB_KEYS_URL = 'https://api.github.com/meta/public_keys/secret_scanning';

const keyList = z.object({
  public_keys: z
    .array(z.object({ key_identifier: z.string().min(1).max(256), key: z.string().min(1).max(4096) }))
    .max(100),
});

const MAX_LIST_BYTES = 256 * 1024;

export interface KeySourceOptions {
  readonly url: string;
  readonly maxAgeMs: number;
  readonly minRefetchMs: number;
  readonly timeoutMs: number;
  readonly fetch?: typeof fetch;
  readonly now?: () => number;
  /** Told when a fetch fails (the keys it had are kept). */
  readonly onError?: (error: unknown) => void;
}

/** The keys could not be fetched and none were held: the report cannot be checked (503). */
export class SigningKeysUnavailable extends Error {
  constructor(cause: unknown) {
    super('the secret scanning signing keys could not be fetched', { cause });
    this.name = 'SigningKeysUnavailable';
  }
}

export class SigningKeySource {
  private keys: Map<string, KeyObject> | undefined;
  private fetchedAt = Number.NEGATIVE_INFINITY;
  private inFlight: Promise<void> | undefined;
  private lastError: unknown;
  /** Fetches started so far. */
  private fetches = 0;

  constructor(private readonly options: KeySourceOptions) {}

  /** The public key for `identifier`, or undefined when GitHub does not list it (after one refetch). */
  async key(identifier: string): Promise<KeyObject | undefined> {
    const fetchesBefore = this.fetches;
    if (!this.keys || this.now() - this.fetchedAt >= this.options.maxAgeMs) await this.refresh();
    if (!this.keys) throw new SigningKeysUnavailable(this.lastError);
    const known = this.keys.get(identifier);
    // One fetch per request at most: a list fetched since it arrived is as fresh as a refetch.
    if (known || this.fetches !== fetchesBefore) return known;
    await this.refresh();
    return this.keys.get(identifier);
  }

  private now() {
    return (this.options.now ?? Date.now)();
  }

  /** Fetches again unless the last fetch (or failure) is more recent than `minRefetchMs`. */
  private refresh(): Promise<void> {
    if (!this.inFlight && this.now() - this.fetchedAt < this.options.minRefetchMs) return Promise.resolve();
    this.inFlight ??= this.load().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private async load(): Promise<void> {
    this.fetches++;
    try {
      this.keys = await this.fetchKeys();
    } catch (error) {
      this.lastError = error;
      this.options.onError?.(error);
    } finally {
      // A failure counts as a fetch too: the next try waits as long as after a success.
      this.fetchedAt = this.now();
    }
  }

  private async fetchKeys(): Promise<Map<string, KeyObject>> {
    const signal = AbortSignal.timeout(this.options.timeoutMs);
    const list = keyList.parse(JSON.parse(await readCapped(await this.fetchSameOrigin(signal))));
    const keys = new Map<string, KeyObject>();
    for (const entry of list.public_keys) {
      try {
        const key = createPublicKey(entry.key);
        // The program signs with ECDSA on P-256; any other key is not one of its keys.
        if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1')
          keys.set(entry.key_identifier, key);
      } catch {
        // An entry that is not a PEM public key is skipped; the others still count.
      }
    }
    return keys;
  }

  /**
   * The list at the URL, following at most MAX_REDIRECTS redirects, each only within the URL's
   * origin: a list served from anywhere else is not GitHub's, whatever it says.
   */
  private async fetchSameOrigin(signal: AbortSignal): Promise<Response> {
    const origin = new URL(this.options.url).origin;
    let url = this.options.url;
    for (let hops = 0; ; hops++) {
      const res = await (this.options.fetch ?? fetch)(url, {
        headers: { accept: 'application/json' },
        redirect: 'manual',
        signal,
      });
      const location = res.headers.get('location');
      if (res.status < 300 || res.status >= 400 || location === null) {
        if (!res.ok) throw new Error(`signing keys: HTTP ${res.status}`);
        return res;
      }
      await res.body?.cancel();
      const next = new URL(location, url);
      if (next.origin !== origin)
        throw new Error(`signing keys: refused a redirect to another origin (${next.origin})`);
      if (hops >= MAX_REDIRECTS) throw new Error('signing keys: too many redirects');
      url = next.href;
    }
  }
}

const MAX_REDIRECTS = 3;

/** The body as text, read only up to MAX_LIST_BYTES: past it the stream is cancelled, whatever the length header said. */
async function readCapped(res: Response): Promise<string> {
  if (Number(res.headers.get('content-length') ?? 0) > MAX_LIST_BYTES)
    throw new Error('signing keys: the list is too large');
  const reader = res.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_LIST_BYTES) {
      await reader.cancel();
      throw new Error('signing keys: the list is too large');
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

const IDENTIFIER = /^[A-Za-z0-9_-]{1,256}$/;
const SIGNATURE = /^[A-Za-z0-9+/]{16,200}={0,2}$/;

const unsigned = (message: string) => new ApiError('UNAUTHORIZED', message);

/**
 * Checks `Github-Public-Key-Identifier` and `Github-Public-Key-Signature` (base64 DER ECDSA
 * P-256 SHA-256) over the raw body; throws a 401 ApiError unless the signature is GitHub's.
 * Malformed headers are refused before any key is fetched.
 */
export async function verifyGitHubSignature(
  body: Buffer,
  headers: Record<string, string | undefined>,
  source: SigningKeySource,
): Promise<void> {
  const identifier = headers['github-public-key-identifier']?.trim();
  const signature = headers['github-public-key-signature']?.trim();
  if (!identifier || !signature)
    throw unsigned('a report must carry Github-Public-Key-Identifier and Github-Public-Key-Signature');
  if (!IDENTIFIER.test(identifier) || !SIGNATURE.test(signature))
    throw unsigned('the signature headers are malformed');
  const key = await source.key(identifier);
  if (!key) throw unsigned('the signing key is not one of the secret scanning keys');
  let valid = false;
  try {
    valid = verify('sha256', body, { key, dsaEncoding: 'der' }, Buffer.from(signature, 'base64'));
  } catch {
    valid = false;
  }
  if (!valid) throw unsigned('the signature does not match the body');
}
