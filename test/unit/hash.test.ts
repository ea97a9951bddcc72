import { describe, expect, it } from 'vitest';
import { newKeyId, newSecret } from '#domain/keys/secret.ts';
import { hashSecret, parsePepperSet, secretMatches } from '#domain/keys/secret-hash.ts';

const pepperV1 = 'a'.repeat(32);
const pepperV2 = 'b'.repeat(32);
const v1 = parsePepperSet(JSON.stringify({ version: '1', pepper: pepperV1 }));
const v2 = parsePepperSet(JSON.stringify({ version: '2', pepper: pepperV2, previous: { '1': pepperV1 } }));

describe('secret hashing', () => {
  const secret = newSecret(newKeyId(), 'production');

  it('stores an HMAC under the current pepper version, never the secret', () => {
    const stored = hashSecret(secret, v1);
    expect(stored.pepperVersion).toBe('1');
    expect(stored.secretHash).not.toContain(secret);
    expect(Buffer.from(stored.secretHash, 'base64url')).toHaveLength(32);
  });

  it('matches only the right secret', () => {
    const stored = hashSecret(secret, v1);
    expect(secretMatches(secret, stored, v1)).toBe(true);
    expect(secretMatches(newSecret(newKeyId(), 'production'), stored, v1)).toBe(false);
    expect(secretMatches(secret, undefined, v1)).toBe(false);
    expect(secretMatches(secret, { ...stored, secretHash: 'short' }, v1)).toBe(false);
  });

  it('verifies hashes made under a previous pepper after the pepper rotates', () => {
    const old = hashSecret(secret, v1);
    expect(secretMatches(secret, old, v2)).toBe(true);
    expect(hashSecret(secret, v2).pepperVersion).toBe('2');
  });

  it('refuses a hash whose pepper version is gone', () => {
    const stored = hashSecret(secret, v2);
    expect(secretMatches(secret, stored, v1)).toBe(false);
  });

  it('refuses malformed pepper documents with a reason', () => {
    expect(() => parsePepperSet('nope')).toThrow(/JSON/);
    expect(() => parsePepperSet('{"version":"1","pepper":"short"}')).toThrow(/32/);
    expect(() => parsePepperSet('{"pepper":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}')).toThrow(/version/);
  });
});
