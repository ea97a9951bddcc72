import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  KEY_ID_SHAPE,
  newKeyId,
  newSecret,
  parseSecret,
  randomBase62,
  SECRET_LENGTH,
} from '#domain/keys/secret.ts';

describe('key ID and secret format', () => {
  it('makes key IDs of the documented shape', () => {
    expect(newKeyId()).toMatch(KEY_ID_SHAPE);
  });

  it('prefixes secrets by environment and embeds the key ID', () => {
    const keyId = newKeyId();
    const live = newSecret(keyId, 'production');
    const test = newSecret(keyId, 'development');
    expect(live.startsWith(`lk_live_${keyId.slice(4)}_`)).toBe(true);
    expect(test.startsWith(`lk_test_${keyId.slice(4)}_`)).toBe(true);
    expect(live).toHaveLength(SECRET_LENGTH);
    expect(parseSecret(live)).toEqual({ ok: true, keyId, environment: 'production' });
    expect(parseSecret(test)).toEqual({ ok: true, keyId, environment: 'development' });
  });

  it('carries at least 256 random bits: 43 characters drawn uniformly from 62', () => {
    const secret = newSecret(newKeyId(), 'production');
    const random = (secret.split('_')[3] as string).slice(0, -6);
    expect(random).toMatch(/^[0-9A-Za-z]{43}$/);
    // Uniform draws are what make 43 characters worth 43·log2(62) ≥ 256 bits: a modulo-biased
    // draw (a byte % 62) would make 8 characters 25% more likely, which this sees at once.
    const counts = new Map<string, number>();
    for (const c of randomBase62(620_000)) counts.set(c, (counts.get(c) ?? 0) + 1);
    expect(counts.size).toBe(62);
    const expected = 10_000;
    for (const n of counts.values()) expect(Math.abs(n - expected)).toBeLessThan(expected * 0.05);
  });

  it('10^5 generated secrets are unique and all pass their checksum', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 100_000; i++) {
      const secret = newSecret(newKeyId(), i % 2 ? 'production' : 'development');
      expect(parseSecret(secret).ok).toBe(true);
      seen.add(secret);
    }
    expect(seen.size).toBe(100_000);
  });

  it('refuses a changed character through the checksum', () => {
    const secret = newSecret(newKeyId(), 'production');
    fc.assert(
      fc.property(fc.integer({ min: 8, max: SECRET_LENGTH - 1 }), fc.constantFrom(...'aZ09'), (at, ch) => {
        if (secret[at] === ch || secret[at] === '_') return;
        const typo = secret.slice(0, at) + ch + secret.slice(at + 1);
        expect(parseSecret(typo).ok).toBe(false);
      }),
    );
  });

  it('names why a secret is malformed', () => {
    const secret = newSecret(newKeyId(), 'production');
    expect(parseSecret('sk_live_abc')).toEqual({ ok: false, reason: 'prefix' });
    expect(parseSecret(`${secret}x`)).toEqual({ ok: false, reason: 'length' });
    expect(parseSecret(`${secret.slice(0, -1)}!`)).toEqual({ ok: false, reason: 'charset' });
    const last = secret.at(-1) === 'A' ? 'B' : 'A';
    expect(parseSecret(secret.slice(0, -1) + last)).toEqual({ ok: false, reason: 'checksum' });
  });

  it('never throws, whatever it is given', () => {
    fc.assert(
      fc.property(fc.anything(), (input) => {
        expect(parseSecret(input).ok).toBe(false);
      }),
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (tail) => {
        const result = parseSecret(`lk_live_${tail}`);
        expect(typeof result.ok).toBe('boolean');
      }),
      { numRuns: 5_000 },
    );
  });
});
