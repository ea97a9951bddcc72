import { paint, type Style } from '../output.ts';
import type { Check } from './checks.ts';

const MARK = { pass: ['✓', 'green'], fail: ['✗', 'red'], skip: ['-', 'gray'] } as const;

/** One check as people read it: the mark and the link, what was seen under it, and the fix. */
export function checkLines(style: Style, check: Check): string {
  const [mark, colour] = MARK[check.status];
  return [
    `${paint(style, colour, mark)} ${check.title}`,
    `  ${paint(style, 'dim', check.detail)}`,
    ...(check.fix ? [`  ${paint(style, 'yellow', 'fix:')} ${check.fix}`] : []),
  ].join('\n');
}

/** What `--json` prints: the checks as data, nothing about how they were reached. */
export function checkData(check: Check) {
  const { id, title, status, detail, fix } = check;
  return { id, title, status, detail, ...(fix ? { fix } : {}) };
}
