import { createHmac } from 'node:crypto';
import type { PepperSet } from './secret-hash.ts';

/**
 * Imported keys: secrets another system issued (API Gateway key values, an older key service's
 * tokens). They carry no key ID, so their key ID is derived from the secret itself:
 *
 *   keyId = "key_" + base62(HMAC-SHA-256(lookupKey, secret))[0..22]   (~131 bits)
 *
 * under the pepper document's lookup key, which never rotates, so a check of an imported secret is
 * still one read by key ID whatever pepper versions are live. The lookup HMAC is domain-separated
 * from the stored hash (another key), so the public key ID reveals nothing of the hash.
 *
 * Which secrets are looked up: 20 to 256 printable ASCII characters with no spaces (API Gateway's
 * own keys are at least 20), and never one with a Latchkey prefix (those are checked by their
 * checksum, with no read). Anything else is MALFORMED without a read.
 */
export const IMPORTED_SECRET_SHAPE = /^[\x21-\x7e]{20,256}$/;
const LATCHKEY_PREFIX = /^lk_(live|test)_/;

export const isImportableSecret = (secret: string) =>
  IMPORTED_SECRET_SHAPE.test(secret) && !LATCHKEY_PREFIX.test(secret);

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

export function importedKeyId(secret: string, peppers: PepperSet): string {
  let n = BigInt(`0x${createHmac('sha256', peppers.lookupKey).update(secret, 'utf8').digest('hex')}`);
  let id = '';
  for (let i = 0; i < 22; i++) {
    id += ALPHABET[Number(n % 62n)];
    n /= 62n;
  }
  return `key_${id}`;
}
