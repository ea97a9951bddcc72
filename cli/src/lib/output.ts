/**
 * What people read: aligned tables, relative times and colour on a terminal; full values, ISO
 * times and no colour off one. `--json` bypasses all of this (see Ctx.json).
 */
export interface Style {
  /** stdout is a terminal: relative times, truncation to its width. */
  readonly tty: boolean;
  readonly color: boolean;
  /** Terminal width, when known. */
  readonly width?: number;
  /** `--wide`: ISO times and nothing truncated. */
  readonly wide?: boolean;
  readonly now: number;
}

const ANSI = { red: 31, green: 32, yellow: 33, gray: 90, bold: 1, dim: 2 } as const;
export type Colour = keyof typeof ANSI;

export function paint(style: Style, colour: Colour, text: string): string {
  return style.color && text ? `\u001b[${ANSI[colour]}m${text}\u001b[0m` : text;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching ANSI escapes is the point
const ESCAPES = /\u001b\[[0-9;]*m/g;
export const visibleLength = (text: string) => [...text.replace(ESCAPES, '')].length;

const STATUS_COLOUR: Record<string, Colour> = {
  active: 'green',
  inactive: 'yellow',
  revoked: 'red',
  expired: 'gray',
};

export function status(style: Style, value: string): string {
  const colour = STATUS_COLOUR[value];
  return colour ? paint(style, colour, value) : value;
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 86_400_000],
  ['month', 30 * 86_400_000],
  ['week', 7 * 86_400_000],
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
  ['second', 1000],
];
// `always`: "in 1 day", never "tomorrow", which 36 hours from 23:00 is not.
const relative = new Intl.RelativeTimeFormat('en', { numeric: 'always' });

/**
 * "in 43 seconds", "3 days ago", "in 3 months": the largest unit the time is at least one of,
 * rounded (a rotation due in 89.9 days is in 3 months), the same way into the future and the
 * past; 60 seconds is a minute; under a second, "now".
 */
export function relativeTime(iso: string, now: number): string {
  const diff = Date.parse(iso) - now;
  if (Number.isNaN(diff)) return iso;
  const at = UNITS.findIndex(([, ms]) => Math.abs(diff) >= ms);
  if (at < 0) return 'now';
  const [unit, ms] = UNITS[at] as [Intl.RelativeTimeFormatUnit, number];
  // Half away from zero, so a time reads the same ahead and behind (Math.round(-1.5) is -1).
  const value = Math.sign(diff) * Math.round(Math.abs(diff) / ms);
  const larger = UNITS[at - 1];
  if (larger && Math.abs(value) * ms >= larger[1]) return relative.format(Math.sign(diff), larger[0]);
  return relative.format(value, unit);
}

/** A time as people read it here: relative on a terminal, ISO under --wide or off a terminal. */
export function time(style: Style, iso: string | null | undefined, missing = '-'): string {
  if (!iso) return missing;
  return style.tty && !style.wide ? relativeTime(iso, style.now) : iso;
}

export interface Column {
  readonly header: string;
  /** May be cut with "…" to fit the terminal; the widest such column goes first. */
  readonly shrink?: boolean;
  readonly align?: 'right';
}

function cut(text: string, width: number): string {
  if (visibleLength(text) <= width) return text;
  const plain = [...text.replace(ESCAPES, '')];
  return `${plain.slice(0, Math.max(0, width - 1)).join('')}…`;
}

/** Columns two spaces apart, headers in bold; on a terminal, shrinkable columns fit its width. */
export function table(style: Style, columns: readonly Column[], rows: readonly string[][]): string {
  const widths = columns.map((c, i) =>
    Math.max(visibleLength(c.header), ...rows.map((r) => visibleLength(r[i] ?? ''))),
  );
  if (style.tty && !style.wide && style.width) {
    const total = () => widths.reduce((a, b) => a + b, 0) + 2 * (columns.length - 1);
    let excess = total() - style.width;
    while (excess > 0) {
      const candidates = columns
        .map((c, i) => ({ c, i, w: widths[i] ?? 0 }))
        .filter(({ c, w }) => c.shrink && w > Math.max(8, visibleLength(c.header)));
      const widest = candidates.sort((a, b) => b.w - a.w)[0];
      if (!widest) break;
      const cutBy = Math.min(excess, widest.w - Math.max(8, visibleLength(widest.c.header)));
      widths[widest.i] = widest.w - cutBy;
      excess -= cutBy;
    }
  }
  const line = (cells: readonly string[], header = false) =>
    cells
      .map((cell, i) => {
        const width = widths[i] ?? 0;
        const text = columns[i]?.shrink ? cut(cell, width) : cell;
        const pad = ' '.repeat(Math.max(0, width - visibleLength(text)));
        const shown = header ? paint(style, 'bold', text) : text;
        if (i === cells.length - 1 && columns[i]?.align !== 'right') return shown;
        return columns[i]?.align === 'right' ? pad + shown : shown + pad;
      })
      .join('  ')
      .trimEnd();
  return [
    line(
      columns.map((c) => c.header),
      true,
    ),
    ...rows.map((r) => line(r)),
  ].join('\n');
}

/** `label  value` pairs, labels aligned: how one record is shown. */
export function fields(style: Style, pairs: readonly [string, string][]): string {
  const width = Math.max(...pairs.map(([label]) => label.length));
  return pairs.map(([label, value]) => `${paint(style, 'dim', label.padEnd(width))}  ${value}`).join('\n');
}

export const list = (values: readonly string[] | undefined, empty = '-') =>
  values && values.length > 0 ? values.join(', ') : empty;
