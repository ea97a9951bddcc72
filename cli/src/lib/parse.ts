import { InvalidArgumentError } from 'commander';

/** Option-value parsers: a bad value is a commander error, so a usage error (exit 2). */
const DAY_S = 86_400;

/** Repeatable flags build lists: `--role read --role support`. */
export const collect = (value: string, previous: string[] | undefined): string[] => [
  ...(previous ?? []),
  value,
];

/** `a,b,c` (repeatable too): `--workspaces a,b --workspaces c`. */
export const commaList = (value: string, previous: string[] | undefined): string[] => [
  ...(previous ?? []),
  ...value
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean),
];

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** An ISO time (with offset) or date (midnight UTC), or `Nd` from now, as an ISO time. */
export function parseTime(value: string, now: number = Date.now()): string {
  const days = /^(\d{1,5})d$/.exec(value);
  if (days) return new Date(now + Number(days[1]) * DAY_S * 1000).toISOString();
  if (ISO_DATE.test(value) && !Number.isNaN(Date.parse(value)))
    return new Date(`${value}T00:00:00Z`).toISOString();
  if (ISO_TIME.test(value) && !Number.isNaN(Date.parse(value))) return new Date(value).toISOString();
  throw new InvalidArgumentError(
    'expected Nd (e.g. 30d), an ISO date (2027-01-31) or time (2027-01-31T12:00:00Z)',
  );
}

/** An ISO time as the API takes it, from any form Date reads (`flag` names it in the error). */
export const parseInstant = (flag: string) => (value: string) => {
  const at = Date.parse(value);
  if (Number.isNaN(at))
    throw new InvalidArgumentError(`${flag} must be a date or ISO time, e.g. 2026-01-31T00:00:00Z`);
  return new Date(at).toISOString();
};

/** `--expires never|30d|90d|<ISO time>`: the API's `expiresAt` (null for never). */
export function parseExpires(value: string): string | null {
  if (value === 'never') return null;
  try {
    return parseTime(value);
  } catch {
    throw new InvalidArgumentError(
      'expected never, Nd (e.g. 30d, 90d) or an ISO time (2027-01-31T00:00:00Z)',
    );
  }
}

const GRACE_UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: DAY_S };

/** `--grace 0|1h|24h|7d|<seconds>`: the API's `gracePeriodSeconds` (the API holds it to 0–7 days). */
export function parseGrace(value: string): number {
  const match = /^(\d{1,7})([smhd]?)$/.exec(value);
  if (!match) throw new InvalidArgumentError('expected 0, seconds, or a duration such as 30m, 1h, 24h, 7d');
  const seconds = Number(match[1]) * (GRACE_UNITS[match[2] || 's'] ?? 1);
  if (seconds > 7 * DAY_S) throw new InvalidArgumentError('the grace period is at most 7 days (7d, 604800)');
  return seconds;
}

/** `--metadata k=v` (repeatable): a string map. */
export function collectMetadata(
  value: string,
  previous: Record<string, string> | undefined,
): Record<string, string> {
  const at = value.indexOf('=');
  if (at < 1) throw new InvalidArgumentError('expected key=value');
  return { ...previous, [value.slice(0, at)]: value.slice(at + 1) };
}

export function parsePositiveInt(value: string): number {
  if (!/^\d{1,9}$/.test(value) || Number(value) < 1)
    throw new InvalidArgumentError('expected a positive whole number');
  return Number(value);
}

/** `--if-match 3` or `--if-match '"3"'`: sent as the `If-Match` header the API reads. */
export function parseVersion(value: string): string {
  const match = /^(?:W\/)?"?(\d{1,15})"?$/.exec(value.trim());
  if (!match) throw new InvalidArgumentError('expected the key version, e.g. 3 (from `keys get`)');
  return `"${match[1]}"`;
}

export function parseBool(value: string): boolean {
  if (/^(true|yes|1)$/i.test(value)) return true;
  if (/^(false|no|0)$/i.test(value)) return false;
  throw new InvalidArgumentError('expected true or false');
}
