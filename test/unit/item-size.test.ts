import { describe, expect, it } from 'vitest';
import {
  assertKeyItemFits,
  itemSizeBytes,
  KEY_ITEM_BUDGET_BYTES,
  LIFECYCLE_RESERVE_BYTES,
  readUnitsFor,
} from '#domain/keys/item-size.ts';
import { parsePepperSet } from '#domain/keys/secret-hash.ts';
import { ApiError } from '#domain/shared/errors.ts';
import { createKeyBody } from '#domain/shared/schemas.ts';
import { storedKey } from '../support/fixtures.ts';

describe('itemSizeBytes, by AWS rules', () => {
  it.each([
    ['a string: name + UTF-8 bytes', { id: 'abc' }, 2 + 3],
    ['a multi-byte string', { s: 'é中😀' }, 1 + 2 + 3 + 4],
    ['a number: 1 byte per two significant digits, plus 1', { n: 123 }, 1 + 2 + 1],
    ['trailing zeros trimmed', { n: 1_700_000_000 }, 1 + 1 + 1],
    ['a decimal', { n: 0.125 }, 1 + 2 + 1],
    ['a boolean and a null', { b: true, z: null }, 2 + 2],
    ['a list: 3 + each element + 1', { l: ['a', 'bc'] }, 1 + 3 + (1 + 1) + (2 + 1)],
    ['a map: 3 + each element name, value + 1', { m: { x: 'y', yy: 1 } }, 1 + 3 + (1 + 1 + 1) + (2 + 2 + 1)],
    ['an empty list and map', { l: [], m: {} }, 1 + 3 + 1 + 3],
    ['nothing for undefined', { a: undefined, b: 'x' }, 2],
  ])('%s', (_, item, bytes) => {
    expect(itemSizeBytes(item)).toBe(bytes);
  });

  it('costs one read unit up to 4,096 bytes', () => {
    expect([1, 4096, 4097, 8192, 8193].map(readUnitsFor)).toEqual([1, 1, 2, 2, 3]);
  });
});

describe('the key item budget', () => {
  const peppers = parsePepperSet(JSON.stringify({ version: '1', pepper: 's'.repeat(40) }));

  it('leaves room for fields added later, and for the lifecycle', () => {
    expect(KEY_ITEM_BUDGET_BYTES).toBeLessThanOrEqual(4096 - 500);
    expect(LIFECYCLE_RESERVE_BYTES).toBeGreaterThan(200);
  });

  it('accepts a typical key and refuses an oversized one naming its fields, largest first', () => {
    const { record } = storedKey(peppers);
    expect(() => assertKeyItemFits(record, record as never)).not.toThrow();
    const big = { ...record, description: '中'.repeat(700), metadata: { a: 'x'.repeat(900) } };
    let error: unknown;
    try {
      assertKeyItemFits(big, { ...big, searchText: big.description } as never);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe('VALIDATION_FAILED');
    expect((error as ApiError).details?.map((d) => d.field).slice(0, 2)).toEqual(['description', 'metadata']);
    expect((error as ApiError).details?.[0]?.message).toMatch(/takes 4\d{3} bytes/);
  });

  it('lets a change that does not grow an oversized item through (a key stored before the budget)', () => {
    const { record } = storedKey(peppers, { metadata: { a: 'x'.repeat(3500) } });
    const disabled = { ...record, status: 'inactive' as const };
    expect(() => assertKeyItemFits(disabled, disabled as never, record as never)).not.toThrow();
    const grown = { ...record, name: `${record.name}!` };
    expect(() => assertKeyItemFits(grown, grown as never, record as never)).toThrow(
      /over the 3500-byte budget/,
    );
  });

  it('bounds each list and map field to its share in the schema', () => {
    const result = createKeyBody.safeParse({
      metadata: { a: '中'.repeat(500), b: 'x' },
      permissions: Array.from({ length: 13 }, (_, i) => `p:${i}${'x'.repeat(120)}`),
      ipAllowlist: ['10.0.0.0/8'],
    });
    expect(result.success).toBe(false);
    const paths = result.error?.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(['metadata', 'permissions']);
  });
});
