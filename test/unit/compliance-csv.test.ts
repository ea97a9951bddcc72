import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvField } from '#domain/compliance/compliance-report.ts';

/**
 * A spreadsheet's CSV import (RFC 4180 quoting) with the list separator of its locale: `,` in
 * English, `;` in German or French, tab or `|` when a user picks them. `quotes: false` is a
 * reader that ignores quotes and splits on every separator.
 */
function readCsv(text: string, separator: string, quotes = true): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quotes && quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (quotes && c === '"' && cell === '') quoted = true;
    else if (c === separator) {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  if (cell !== '' || row.length) rows.push([...row, cell]);
  return rows;
}

/**
 * What a spreadsheet may run as a formula: a cell whose first character, or first after blanks,
 * tabs and line breaks (which some readers drop), is one of these.
 */
const FORMULA = /^[ \t\r\n]*[=+\-@]/;
const SEPARATORS = [',', ';', '\t', '|'];
const row = (values: unknown[]) => `${values.map(csvField).join(',')}\r\n`;

describe('compliance CSV fields', () => {
  it("quote every text field, so `x;=cmd|' /C calc'!A0` stays one cell read with ',' or ';'", () => {
    const name = "x;=cmd|' /C calc'!A0";
    const text = row(['rotationOverdue', 'key_abc', name, 'team', 3, null]);
    expect(text).toBe(`"rotationOverdue","key_abc","x;'=cmd|' /C calc'!A0","team",3,\r\n`);
    for (const separator of [',', ';']) {
      const cells = readCsv(text, separator).flat();
      expect(
        cells.some((cell) => FORMULA.test(cell)),
        `${separator}: ${cells.join(' ¦ ')}`,
      ).toBe(false);
    }
    expect(readCsv(text, ',')[0]?.[2]).toBe("x;'=cmd|' /C calc'!A0");
  });

  it('neutralise = + - @ tab and CR at the start and after any separator, blanks included', () => {
    expect(csvField('=1+1')).toBe(`"'=1+1"`);
    expect(csvField('a, -1')).toBe(`"a, '-1"`);
    expect(csvField('a|@SUM(A1)')).toBe(`"a|'@SUM(A1)"`);
    expect(csvField('\t=x')).toBe(`"'\t'=x"`);
    expect(csvField('say "hi"')).toBe(`"say ""hi"""`);
    expect(csvField('plain-name')).toBe(`"plain-name"`);
    expect(csvField(-3)).toBe('-3');
    expect(csvField(undefined)).toBe('');
  });

  it('no cell of any row starts a formula, read with any separator, with or without quotes', () => {
    const text = fc.string({
      unit: fc.constantFrom('=', '+', '-', '@', '\t', '\r', '\n', ' ', '"', 'a', ...SEPARATORS),
    });
    fc.assert(
      fc.property(fc.array(text, { minLength: 1, maxLength: 4 }), (values) => {
        const csv = row(values);
        for (const separator of SEPARATORS) {
          for (const quotes of [true, false]) {
            for (const cell of readCsv(csv, separator, quotes).flat()) {
              if (FORMULA.test(cell))
                throw new Error(`${JSON.stringify(values)} → cell ${JSON.stringify(cell)}`);
            }
          }
        }
        // Read as it was meant, every value comes back (with its neutralising quotes).
        const back = readCsv(csv, ',')[0] ?? [];
        expect(back.map((cell) => cell.replaceAll("'", ''))).toEqual(
          values.map((v) => v.replaceAll("'", '')),
        );
      }),
      { numRuns: 2000 },
    );
  });
});
