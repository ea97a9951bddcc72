import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { newKeyId, newSecret } from '#domain/keys/secret.ts';

/**
 * The regex shipped for gitleaks, trufflehog and GitHub custom patterns, read from the files users
 * copy (gitleaks.toml, trufflehog.yml, docs/secret-scanning.md) and run as those tools run it:
 * every secret the service's generator makes is found, wherever it sits, and nothing of another
 * shape is. (The regexes use only syntax that Go's RE2, Hyperscan and JavaScript read alike.)
 */
const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
const gitleaksToml = read('packages/secretlint-rule-latchkey/gitleaks.toml');
const trufflehogYml = read('packages/secretlint-rule-latchkey/trufflehog.yml');
const docs = read('docs/secret-scanning.md');

const one = (pattern: RegExp, text: string, what: string): string => {
  const found = pattern.exec(text)?.[1];
  if (found === undefined) throw new Error(`not found: ${what}`);
  return found;
};
const gitleaks = {
  regex: one(/^regex = '''(.+)'''$/m, gitleaksToml, 'gitleaks regex'),
  secretGroup: Number(one(/^secretGroup = (\d+)$/m, gitleaksToml, 'gitleaks secretGroup')),
  entropy: Number(one(/^entropy = ([\d.]+)$/m, gitleaksToml, 'gitleaks entropy')),
  keywords: JSON.parse(one(/^keywords = (\[.+\])$/m, gitleaksToml, 'gitleaks keywords')) as string[],
};
const trufflehog = {
  regex: one(/^ {6}secret: '(.+)'$/m, trufflehogYml, 'trufflehog regex'),
  entropy: Number(one(/^ {4}entropy: ([\d.]+)$/m, trufflehogYml, 'trufflehog entropy')),
};
const github = {
  format: one(/^- \*\*Secret format:\*\* `(.+)`$/m, docs, 'GitHub secret format'),
  before: one(/^- \*\*Before secret:\*\* `(.+)`$/m, docs, 'GitHub before secret'),
  after: one(/^- \*\*After secret:\*\* `(.+)`$/m, docs, 'GitHub after secret'),
};

/** Shannon entropy in bits per character, as gitleaks and trufflehog compute it. */
function entropy(text: string): number {
  const counts = new Map<string, number>();
  for (const c of text) counts.set(c, (counts.get(c) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) bits -= (n / text.length) * Math.log2(n / text.length);
  return bits;
}

/** What gitleaks reports for one file: keyword prefilter, regex, secret group, entropy floor. */
function scanGitleaks(text: string): string[] {
  if (!gitleaks.keywords.some((k) => text.toLowerCase().includes(k))) return [];
  return [...text.matchAll(new RegExp(gitleaks.regex, 'g'))]
    .map((m) => m[gitleaks.secretGroup] as string)
    .filter((s) => entropy(s) > gitleaks.entropy);
}
function scanTrufflehog(text: string): string[] {
  return [...text.matchAll(new RegExp(trufflehog.regex, 'g'))]
    .map((m) => m[1] as string)
    .filter((s) => entropy(s) > trufflehog.entropy);
}
/**
 * GitHub matches the secret format between what must come before and after it, which are context,
 * not part of the match (hence a lookbehind and a lookahead here); `\A` and `\z` are ^ and $.
 */
function scanGithub(text: string): string[] {
  const hyperscanToJs = (p: string) => p.replaceAll('\\A', '^').replaceAll('\\z', '$');
  const joined = `(?<=${hyperscanToJs(github.before)})(${github.format})(?=${hyperscanToJs(github.after)})`;
  return [...text.matchAll(new RegExp(joined, 'g'))].map((m) => m[1] as string);
}
const scanners = { gitleaks: scanGitleaks, trufflehog: scanTrufflehog, github: scanGithub };

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const base62 = (length: number) =>
  fc.string({ unit: fc.constantFrom(...BASE62.split('')), minLength: length, maxLength: length });
const generated = fc.noShrink(
  fc.boolean().map((isLive) => newSecret(newKeyId(), isLive ? 'production' : 'development')),
);
/** Where secrets turn up: config files, code, JSON, headers, query strings, escaped log lines. */
const contexts = [
  (s: string) => s,
  (s: string) => `LATCHKEY_API_KEY=${s}\n`,
  (s: string) => `const key = '${s}';`,
  (s: string) => `{"apiKey":"${s}","other":1}`,
  (s: string) => `GET /orders 200 Authorization: Bearer ${s}\n`,
  (s: string) => `x-api-key: ${s}\r\n`,
  (s: string) => `https://api.example.com/v1?key=${s}&page=2`,
  (s: string) => `{"msg":"headers:\\n${s}\\n"}`,
  (s: string) => `redirect=%2F%3Fkey%3D${s}%26x`,
  (s: string) => `<td>${s}</td>`,
];

describe('the shipped secret-scanning regexes', () => {
  it('are the same regex in the gitleaks file, the trufflehog file and the docs', () => {
    expect(trufflehog.regex).toBe(gitleaks.regex);
    expect(trufflehog.entropy).toBe(gitleaks.entropy);
    expect(docs).toContain(`regex = '''${gitleaks.regex}'''`);
    expect(docs).toContain(`secret: '${trufflehog.regex}'`);
    expect(gitleaks.regex).toContain(github.format);
  });

  for (const [tool, scan] of Object.entries(scanners)) {
    it(`${tool}: finds every generated secret, exactly, in every context`, () => {
      fc.assert(
        fc.property(generated, fc.constantFrom(...contexts), (secret, context) => {
          expect(scan(context(secret))).toEqual([secret]);
        }),
        { numRuns: 3_000 },
      );
    });

    it(`${tool}: finds each of many secrets in one file`, () => {
      const secrets = Array.from({ length: 50 }, (_, i) =>
        newSecret(newKeyId(), i % 2 ? 'production' : 'development'),
      );
      expect(
        scan(secrets.map((s, i) => (contexts[i % contexts.length] as (s: string) => string)(s)).join('\n')),
      ).toEqual(secrets);
    });

    it(`${tool}: matches nothing of another shape`, () => {
      const otherShapes = fc.oneof(
        // wrong prefix
        fc
          .tuple(
            fc.constantFrom('lk_prod_', 'LK_LIVE_', 'lk-live-', 'lk_Live_', 'lk_tst_', 'k_live_'),
            base62(22),
            base62(49),
          )
          .map(([p, id, rest]) => `${p}${id}_${rest}`),
        // key ID one character short or long
        fc
          .tuple(fc.constantFrom(21, 23), base62(49))
          .chain(([n, rest]) => base62(n).map((id) => `lk_live_${id}_${rest}`)),
        // random and checksum part one character short, or too long
        fc
          .tuple(base62(22), fc.constantFrom(48, 50, 60))
          .chain(([id, n]) => base62(n).map((r) => `lk_test_${id}_${r}`)),
        // another separator, or a character outside base62 inside
        fc
          .tuple(base62(22), base62(49), fc.constantFrom('-', '.', '', '__'))
          .map(([id, rest, sep]) => `lk_live_${id}${sep}${rest}`),
        fc
          .tuple(generated, fc.integer({ min: 8, max: 79 }), fc.constantFrom('-', '+', '/', '=', '.', ' '))
          .filter(([s, at]) => s[at] !== '_')
          .map(([s, at, c]) => s.slice(0, at) + c + s.slice(at + 1)),
        // a real secret glued to more base62 characters or an underscore after it
        fc.tuple(generated, fc.constantFrom('x', '0', 'Z', '_')).map(([s, c]) => `${s}${c}`),
      );
      fc.assert(
        fc.property(otherShapes, fc.constantFrom(...contexts), (text, context) => {
          expect(scan(context(text))).toEqual([]);
        }),
        { numRuns: 3_000 },
      );
    });

    it(`${tool}: matches no arbitrary text`, () => {
      fc.assert(
        fc.property(fc.string({ maxLength: 200 }), (text) => {
          expect(scan(text)).toEqual([]);
        }),
        { numRuns: 2_000 },
      );
    });
  }

  it('drops a placeholder of the right shape by its low entropy, but keeps every generated secret', () => {
    const placeholder = `lk_live_${'x'.repeat(22)}_${'x'.repeat(49)}`;
    expect(scanGitleaks(placeholder)).toEqual([]);
    expect(scanTrufflehog(placeholder)).toEqual([]);
    let lowest = Number.POSITIVE_INFINITY;
    for (let i = 0; i < 20_000; i++) lowest = Math.min(lowest, entropy(newSecret(newKeyId(), 'production')));
    expect(lowest).toBeGreaterThan(gitleaks.entropy + 0.5);
  });
});
