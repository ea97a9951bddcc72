import { paint, type Style } from '../output.ts';
import type { Check } from './checks.ts';

const MARK = { pass: ['✓', 'green'], fail: ['✗', 'red'], skip: ['-', 'gray'] } as const;

/**
 * `text` in lines of at most `width` columns, broken between words, every line after the first
 * indented by `indent` (a word longer than a line, an ARN say, keeps a line of its own).
 */
function wrap(text: string, width: number | undefined, first: number, indent: string): string[] {
  if (!width) return [text];
  const lines: string[] = [];
  let line = '';
  let room = width - first;
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > room) {
      lines.push(line);
      line = word;
      room = width - indent.length;
    } else line = line ? `${line} ${word}` : word;
  }
  lines.push(line);
  return lines.map((l, i) => (i === 0 ? l : `${indent}${l}`));
}

/**
 * One check as people read it: the mark and the link, what was seen under it, and the fix. On a
 * terminal the text is wrapped to its width under its own indent.
 */
export function checkLines(style: Style, check: Check): string {
  const [mark, colour] = MARK[check.status];
  const width = style.tty && !style.wide ? style.width : undefined;
  const detail = wrap(check.detail, width, 2, '  ');
  const fix = check.fix ? wrap(check.fix, width, 7, '       ') : [];
  return [
    `${paint(style, colour, mark)} ${check.title}`,
    ...detail.map((l, i) => (i === 0 ? `  ${paint(style, 'dim', l)}` : paint(style, 'dim', l))),
    ...fix.map((l, i) => (i === 0 ? `  ${paint(style, 'yellow', 'fix:')} ${l}` : l)),
  ].join('\n');
}

/** What `--json` prints: the checks as data, nothing about how they were reached. */
export function checkData(check: Check) {
  const { id, title, status, detail, fix } = check;
  return { id, title, status, detail, ...(fix ? { fix } : {}) };
}
