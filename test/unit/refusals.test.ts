import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { httpStatusOf, isAuthenticated, REFUSAL_STATUS, REFUSALS } from '#domain/verify/verify.ts';

const page = readFileSync(new URL('../../docs/authorizer.md', import.meta.url), 'utf8');

describe('refusal codes and their status', () => {
  it('every refusal has its class stated, and the status follows the class', () => {
    expect(Object.keys(REFUSAL_STATUS).sort()).toEqual([...REFUSALS].sort());
    for (const code of REFUSALS) {
      const { kind, status } = REFUSAL_STATUS[code];
      expect(status).toBe(kind === 'unauthenticated' ? 401 : 403);
      expect(isAuthenticated(code)).toBe(kind === 'forbidden');
      expect(httpStatusOf(code)).toBe(status);
    }
    expect(httpStatusOf('VALID')).toBe(200);
  });

  it('the table in docs/authorizer.md says what the code says', () => {
    for (const code of REFUSALS) {
      const row = page.split('\n').find((line) => line.startsWith(`| \`${code}\``));
      expect(row, code).toBeDefined();
      expect(row).toMatch(new RegExp(`\\| ${REFUSAL_STATUS[code].status} \\|$`));
    }
  });
});
