import { lintSource } from '@secretlint/core';
import type { SecretLintCoreResultMessage } from '@secretlint/types';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { newKeyId, newSecret, parseSecret } from '#domain/keys/secret.ts';
import {
  creator,
  findLatchkeySecrets,
  isLatchkeySecret,
  type Options,
} from '../../packages/secretlint-rule-latchkey/src/index.js';

/**
 * The secretlint rule, run by secretlint's own engine (@secretlint/core) on secrets made by the
 * service's generator. The rule reimplements the checksum, so it is also checked against the
 * domain's parseSecret on arbitrary input.
 */
const RULE_ID = '@latchkey/secretlint-rule-latchkey';
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const live = () => newSecret(newKeyId(), 'production');
const test = () => newSecret(newKeyId(), 'development');
const keyIdOf = (secret: string) => `key_${secret.slice(8, 30)}`;

/** The same secret with its checksum replaced: right shape, wrong checksum. */
function withWrongChecksum(secret: string, seed = 0): string {
  const chars = secret.split('');
  const at = 74 + (seed % 6);
  const current = BASE62.indexOf(chars[at] as string);
  chars[at] = BASE62[(current + 1 + (seed % 61)) % 62] as string;
  return chars.join('');
}

async function lint(content: string, options: Options = {}, maskSecrets = false) {
  const result = await lintSource({
    source: { filePath: '/virtual/input.txt', content, contentType: 'text' },
    options: { config: { rules: [{ id: RULE_ID, rule: creator, options }] }, maskSecrets },
  });
  return result.messages as SecretLintCoreResultMessage[];
}

describe('secretlint-rule-latchkey through @secretlint/core', () => {
  it('reports a live and a test secret with their exact ranges, message IDs and key IDs', async () => {
    const a = live();
    const b = test();
    const content = `LATCHKEY_KEY=${a}\nconst dev = "${b}";\n`;
    const messages = await lint(content);
    expect(messages.map((m) => [m.messageId, m.range, m.ruleId])).toEqual([
      ['LATCHKEY_LIVE_SECRET', [13, 93], RULE_ID],
      ['LATCHKEY_TEST_SECRET', [content.indexOf(b), content.indexOf(b) + 80], RULE_ID],
    ]);
    expect(messages[0]?.loc).toEqual({ start: { line: 1, column: 13 }, end: { line: 1, column: 93 } });
    expect(messages[1]?.loc.start.line).toBe(2);
    expect(messages[0]?.message).toContain(keyIdOf(a));
    expect(messages[1]?.message).toContain(keyIdOf(b));
    expect(messages.every((m) => m.severity === 'error')).toBe(true);
  });

  it('finds a secret in a log line, after Authorization: Bearer and x-api-key', async () => {
    const a = live();
    const b = live();
    const log =
      `2026-12-01T14:00:00Z INFO GET /orders 200 headers={"Authorization: Bearer ${a}"}\n` +
      `127.0.0.1 - - [01/Dec/2026:14:00:01 +0000] "GET /v1/x HTTP/1.1" 200 x-api-key=${b}\n`;
    const messages = await lint(log);
    expect(messages.map((m) => content(log, m.range))).toEqual([a, b]);
  });

  it('finds secrets after escapes and glued to other text, where a word boundary would miss them', async () => {
    const a = test();
    const b = live();
    const c = live();
    const text = `{"msg":"line one\\n${a}"} redirect=%2F%3Fkey%3D${b} prefix${c}suffix`;
    expect((await lint(text)).map((m) => content(text, m.range))).toEqual([a, b, c]);
  });

  it('gives positions in the units secretlint uses, after non-ASCII text', async () => {
    const a = live();
    const text = `名前: 🔑 鍵\nキー「${a}」\n`;
    const [message] = await lint(text);
    expect(message?.range).toEqual([text.indexOf(a), text.indexOf(a) + 80]);
    expect(message?.loc.start).toEqual({ line: 2, column: 3 });
  });

  it('reports no look-alike: wrong checksum, one character changed, wrong prefix or length', async () => {
    const real = live();
    const changedBody = `${real.slice(0, 40)}${real[40] === 'A' ? 'B' : 'A'}${real.slice(41)}`;
    const decoys = [
      withWrongChecksum(real, 0),
      withWrongChecksum(test(), 5),
      changedBody,
      real.replace('lk_live_', 'lk_prod_'),
      real.replace('lk_live_', 'LK_LIVE_'),
      real.slice(0, 79),
      `lk_live_${'A'.repeat(22)}_${'x'.repeat(49)}`,
    ];
    expect(decoys.every((d) => !parseSecret(d).ok)).toBe(true);
    expect(await lint(decoys.join('\n'))).toEqual([]);
  });

  it('reports each of many secrets in one file, and none of the decoys between them', async () => {
    const secrets = Array.from({ length: 20 }, (_, i) => (i % 2 ? live() : test()));
    const text = secrets
      .map((s, i) => `${withWrongChecksum(live(), i)} ${s} ${withWrongChecksum(s, i)}`)
      .join('\n');
    expect((await lint(text)).map((m) => content(text, m.range))).toEqual(secrets);
  });

  it('masks the secret, and keeps the key ID readable, when secretlint masks secrets', async () => {
    const a = live();
    const [message] = await lint(`token: ${a}`, {}, true);
    expect(message?.message).not.toContain(a);
    expect(message?.message).not.toContain(a.slice(30));
    expect(message?.message).toContain(keyIdOf(a));
    expect(message?.message).toContain('*'.repeat(80));
  });

  it('leaves out secrets that `allows` permits, as strings or RegExp-like strings', async () => {
    const a = live();
    const b = test();
    const c = live();
    const text = `${a}\n${b}\n${c}\n`;
    const kept = async (allows: string[]) =>
      (await lint(text, { allows })).map((m) => content(text, m.range));
    expect(await kept([a])).toEqual([b, c]);
    expect(await kept(['/^lk_test_/'])).toEqual([a, c]);
    expect(await kept([`/${c.slice(30, 50).toLowerCase()}/i`])).toEqual([a, b]);
    expect(await kept(['/^lk_/g'])).toEqual([]);
  });

  it('refuses bad options with a message naming them', async () => {
    await expect(lint('x', { allows: 'lk_test_' as unknown as string[] })).rejects.toThrow(
      /options\.allows must be an array of strings/,
    );
    await expect(lint('x', { allows: ['/(/'] })).rejects.toThrow(/invalid RegExp \/\(\//);
  });
});

describe('the rule agrees with the service on what a secret is', () => {
  it('accepts every secret the generator makes, and no single-character change of one', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('production' as const, 'development' as const),
        fc.nat(79),
        fc.constantFrom(...BASE62.split('')),
        (environment, at, replacement) => {
          const secret = newSecret(newKeyId(), environment);
          expect(isLatchkeySecret(secret)).toBe(true);
          const changed = secret.slice(0, at) + replacement + secret.slice(at + 1);
          expect(isLatchkeySecret(changed)).toBe(changed === secret);
          expect(isLatchkeySecret(changed)).toBe(parseSecret(changed).ok);
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it('matches parseSecret on arbitrary strings of the right shape and on any string at all', () => {
    const shaped = fc
      .tuple(
        fc.constantFrom('lk_live_', 'lk_test_'),
        fc.string({ unit: fc.constantFrom(...BASE62.split('')), minLength: 22, maxLength: 22 }),
        fc.string({ unit: fc.constantFrom(...BASE62.split('')), minLength: 49, maxLength: 49 }),
      )
      .map(([prefix, id, rest]) => `${prefix}${id}_${rest}`);
    fc.assert(
      fc.property(fc.oneof(shaped, fc.string()), (candidate) => {
        expect(isLatchkeySecret(candidate)).toBe(parseSecret(candidate).ok);
      }),
      { numRuns: 5_000 },
    );
  });

  it('finds a generated secret wherever it is embedded, with its key ID and environment', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.boolean(), (before, after, isLive) => {
        const keyId = newKeyId();
        const secret = newSecret(keyId, isLive ? 'production' : 'development');
        const found = findLatchkeySecrets(`${before}${secret}${after}`);
        expect(found).toContainEqual({
          secret,
          keyId,
          environment: isLive ? 'live' : 'test',
          range: [before.length, before.length + 80],
        });
      }),
      { numRuns: 1_000 },
    );
  });
});

function content(text: string, range: readonly [number, number]): string {
  return text.slice(range[0], range[1]);
}
