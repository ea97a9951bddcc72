import { createHash, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll } from 'vitest';
import { startedLater } from './service.ts';

/** A signing key pair of the kind GitHub's secret scanning uses: ECDSA on P-256. */
export interface SigningKey {
  readonly identifier: string;
  readonly privateKey: KeyObject;
  readonly publicPem: string;
}

export function signingKey(): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const identifier = createHash('sha256').update(publicPem).digest('hex');
  return { identifier, privateKey, publicPem };
}

/** GitHub's headers for `body`: base64 DER ECDSA-SHA256 over the raw bytes. */
export function signedHeaders(body: string, key: SigningKey): Record<string, string> {
  return {
    'content-type': 'application/json',
    'Github-Public-Key-Identifier': key.identifier,
    'Github-Public-Key-Signature': sign('sha256', Buffer.from(body), key.privateKey).toString('base64'),
  };
}

/**
 * A local stand-in for https://api.github.com/meta/public_keys/secret_scanning: it serves the
 * keys in `keys` (mutable, so a test can rotate them) and counts the requests it gets.
 */
export interface KeysServer {
  readonly url: string;
  readonly keys: SigningKey[];
  requests: number;
  close(): Promise<void>;
}

export async function startKeysServer(keys: SigningKey[]): Promise<KeysServer> {
  const state = { requests: 0 };
  const server: Server = createServer((req, res) => {
    state.requests++;
    const body = JSON.stringify({
      public_keys: keys.map((k, i) => ({
        key_identifier: k.identifier,
        key: k.publicPem,
        is_current: i === keys.length - 1,
      })),
    });
    res.writeHead(req.url === '/meta/public_keys/secret_scanning' ? 200 : 404, {
      'content-type': 'application/json',
    });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/meta/public_keys/secret_scanning`,
    keys,
    get requests() {
      return state.requests;
    },
    set requests(value: number) {
      state.requests = value;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The stand-in of a test file, serving `keys`: started before its tests (and its service), closed after. */
export function useKeysServer(keys: SigningKey[]): KeysServer {
  const server = startedLater<KeysServer>('the GitHub keys stand-in');
  let started: KeysServer | undefined;
  beforeAll(async () => {
    started = await startKeysServer(keys);
    server.set(started);
  });
  afterAll(() => started?.close());
  return server.value;
}

export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
