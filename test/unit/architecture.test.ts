import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const domain = fileURLToPath(new URL('../../functions/domain', import.meta.url));

/** Every module specifier a file imports or re-exports, static or dynamic. */
function importsOf(source: string): string[] {
  const specifiers = [
    ...source.matchAll(/^\s*(?:import|export)\b[^'"]*?\bfrom\s*['"]([^'"]+)['"]/gm),
    ...source.matchAll(/^\s*import\s*['"]([^'"]+)['"]/gm),
    ...source.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g),
  ];
  return specifiers.map((m) => m[1] as string);
}

/** Outside the domain: the adapters, the platform, the handlers, and anything of AWS's. */
const FORBIDDEN = [
  /^#(store|platform|handlers)\//,
  /^\.\.\//,
  /^@aws-sdk\//,
  /^@smithy\//,
  /^@aws-lambda-powertools\//,
  /^@middy\//,
  /^aws-lambda$/,
];

describe('the domain', () => {
  it('imports nothing outside itself but libraries that are not AWS', () => {
    const offenders = readdirSync(domain)
      .filter((f) => f.endsWith('.ts'))
      .flatMap((file) =>
        importsOf(readFileSync(join(domain, file), 'utf8'))
          .filter((spec) => FORBIDDEN.some((re) => re.test(spec)))
          .map((spec) => `${file} imports ${spec}`),
      );
    expect(offenders).toEqual([]);
  });

  it('the check itself sees the imports it must refuse', () => {
    const sample = [
      "import type { KeyStore } from '#store/port.ts';",
      "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';",
      "export { x } from '../platform/aws.ts';",
      "const m = await import('#handlers/verify.ts');",
    ].join('\n');
    expect(importsOf(sample)).toEqual([
      '#store/port.ts',
      '@aws-sdk/client-dynamodb',
      '../platform/aws.ts',
      '#handlers/verify.ts',
    ]);
    expect(importsOf(sample).every((spec) => FORBIDDEN.some((re) => re.test(spec)))).toBe(true);
  });
});
