import { randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';

/**
 * Key ID and secret format.
 *
 *   keyId:  key_<22 base62>                       (~131 random bits, public)
 *   secret: lk_<live|test>_<22 base62 id>_<43 base62 random><6 base62 CRC32>
 *
 * The 43-character random part carries 43·log2(62) ≈ 256.03 bits from the CSPRNG. The key ID is
 * embedded so that verification is one read by key ID; the CRC32 checksum (over everything before
 * it) lets a mistyped or invented secret be refused without touching the database, and lets secret
 * scanners tell a real Latchkey secret from noise.
 */
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const ID_LENGTH = 22;
const RANDOM_LENGTH = 43;
const CHECKSUM_LENGTH = 6;

export const ENVIRONMENTS = ['production', 'development'] as const;
export type Environment = (typeof ENVIRONMENTS)[number];
export const SECRET_PREFIX: Record<Environment, string> = {
  production: 'lk_live_',
  development: 'lk_test_',
};
const PREFIX_LENGTH = 8;
export const SECRET_LENGTH = PREFIX_LENGTH + ID_LENGTH + 1 + RANDOM_LENGTH + CHECKSUM_LENGTH;
const SECRET_SHAPE = /^lk_(live|test)_([0-9A-Za-z]{22})_([0-9A-Za-z]{49})$/;
export const KEY_ID_SHAPE = /^key_[0-9A-Za-z]{22}$/;

/** Uniform base62 string from the CSPRNG, by rejection sampling (no modulo bias). */
export function randomBase62(length: number): string {
  let out = '';
  while (out.length < length) {
    const bytes = randomBytes(length * 2);
    for (const byte of bytes) {
      // 248 = 62 * 4: bytes at or above it would bias the first characters.
      if (byte < 248) out += ALPHABET[byte % 62];
      if (out.length === length) break;
    }
  }
  return out;
}

function toBase62Fixed(value: number, width: number): string {
  let n = value;
  let out = '';
  for (let i = 0; i < width; i++) {
    out = ALPHABET[n % 62] + out;
    n = Math.floor(n / 62);
  }
  return out;
}

function checksum(body: string): string {
  return toBase62Fixed(crc32(body), CHECKSUM_LENGTH);
}

export function newKeyId(): string {
  return `key_${randomBase62(ID_LENGTH)}`;
}

/** A fresh secret for the given key. It must be returned once and then forgotten. */
export function newSecret(keyId: string, environment: Environment): string {
  if (!KEY_ID_SHAPE.test(keyId)) throw new Error('newSecret: malformed key ID');
  const body = `${SECRET_PREFIX[environment]}${keyId.slice(4)}_${randomBase62(RANDOM_LENGTH)}`;
  return body + checksum(body);
}

export type ParsedSecret =
  | { ok: true; keyId: string; environment: Environment }
  | { ok: false; reason: 'prefix' | 'length' | 'charset' | 'checksum' };

/**
 * Parses a presented secret. Pure, no I/O, and total: it never throws, whatever it is given.
 */
export function parseSecret(input: unknown): ParsedSecret {
  if (typeof input !== 'string') return { ok: false, reason: 'length' };
  if (!input.startsWith('lk_live_') && !input.startsWith('lk_test_')) return { ok: false, reason: 'prefix' };
  if (input.length !== SECRET_LENGTH) return { ok: false, reason: 'length' };
  const match = SECRET_SHAPE.exec(input);
  if (!match) return { ok: false, reason: 'charset' };
  const body = input.slice(0, SECRET_LENGTH - CHECKSUM_LENGTH);
  if (checksum(body) !== input.slice(SECRET_LENGTH - CHECKSUM_LENGTH))
    return { ok: false, reason: 'checksum' };
  return {
    ok: true,
    keyId: `key_${match[2]}`,
    environment: match[1] === 'live' ? 'production' : 'development',
  };
}
