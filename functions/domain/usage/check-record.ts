import type { TripSighting } from '#domain/shared/ports.ts';
import type { DecisionCode } from '#domain/verify/verify.ts';

/**
 * What one check leaves behind, off the check's path: its outcome (`ALLOWED` or the refusal
 * code), the request's method and route (the API's resource path where the event names one,
 * else the request's path), where it came from, how long the check took, and the Region of the
 * API it guarded. Every part that comes from the caller is cut to a bound in UTF-8 bytes before
 * it reaches a log line, a counter or a table, so no caller can grow any of them.
 */
export interface CheckRecord {
  readonly keyId: string;
  /** ISO time of the check, by the service's clock. */
  readonly at: string;
  readonly outcome: string;
  readonly method: string;
  readonly path: string;
  readonly sourceIp: string | null;
  readonly userAgent: string | null;
  /** The check's own time, in milliseconds to two decimals. */
  readonly latencyMs: number;
  readonly region: string | null;
}

/** The request half of a check: what the authorizer (or POST /v1/verify) knows beside the decision. */
export interface CheckedRequest {
  readonly method: string;
  readonly path: string;
  readonly sourceIp?: string | null;
  readonly userAgent?: string | null;
  readonly region?: string | null;
}

/** Bounds in UTF-8 bytes. An agent past its bound is cut; an address longer than IPv6's longest form is none. */
export const CHECK_LIMITS = {
  outcome: 32,
  method: 16,
  path: 128,
  sourceIp: 45,
  userAgent: 128,
  region: 32,
} as const;

/** `value` cut to at most `maxBytes` UTF-8 bytes, never inside a character. */
export function truncateUtf8(value: string, maxBytes: number): string {
  if (value.length * 3 <= maxBytes) return value;
  let bytes = 0;
  let end = 0;
  for (const char of value) {
    const size = char.codePointAt(0) as number;
    const width = size < 0x80 ? 1 : size < 0x800 ? 2 : size < 0x10000 ? 3 : 4;
    if (bytes + width > maxBytes) break;
    bytes += width;
    end += char.length;
  }
  return value.slice(0, end);
}

/** An address as API Gateway gives it (IPv4, IPv6): anything else is not kept as one. */
const ADDRESS = /^[0-9A-Fa-f.:]{2,45}$/;

const bounded = (value: string | undefined | null, max: number): string | null =>
  value ? truncateUtf8(value, max) || null : null;

/** The request's parts at their bounds: what a log line, a counter and a table may hold. */
export function boundedRequest(request: CheckedRequest): {
  method: string;
  path: string;
  sourceIp: string | null;
  userAgent: string | null;
  region: string | null;
} {
  return {
    method: truncateUtf8(request.method, CHECK_LIMITS.method),
    path: truncateUtf8(request.path, CHECK_LIMITS.path),
    sourceIp: request.sourceIp && ADDRESS.test(request.sourceIp) ? request.sourceIp : null,
    userAgent: bounded(request.userAgent, CHECK_LIMITS.userAgent),
    region: bounded(request.region, CHECK_LIMITS.region),
  };
}

/** Milliseconds to two decimals: what the log line carries, so both counting paths see the same number. */
export const roundLatency = (ms: number): number => Math.max(0, Math.round(ms * 100) / 100);

/** `ALLOWED`, or the refusal code. */
const outcomeOf = (code: DecisionCode | string): string => (code === 'VALID' ? 'ALLOWED' : code);

/** One check, as both counting paths record it. */
export function checkRecord(
  keyId: string,
  at: Date,
  code: DecisionCode | string,
  request: CheckedRequest,
  latencyMs: number,
): CheckRecord {
  return {
    keyId,
    at: at.toISOString(),
    outcome: truncateUtf8(outcomeOf(code), CHECK_LIMITS.outcome),
    ...boundedRequest(request),
    latencyMs: roundLatency(latencyMs),
  };
}

/** `METHOD /path`: how a route is named in the top routes and on the key (`lastUsedRoute`). */
export const routeOf = (check: Pick<CheckRecord, 'method' | 'path'>): string =>
  `${check.method} ${check.path}`;

/** Where a canary was seen: the request's route, and its address when it has one. */
export const sightingOf = (request: {
  readonly method: string;
  readonly path: string;
  readonly sourceIp?: string | null;
}): TripSighting => ({
  route: routeOf(request),
  ...(request.sourceIp ? { sourceIp: request.sourceIp } : {}),
});

/** A canary's sighting as its key item keeps it: cut, in UTF-16 units, at a check's address and path bounds. */
export const TRIP_LIMITS = { sourceIp: CHECK_LIMITS.sourceIp, route: CHECK_LIMITS.path } as const;

/** A canary's sighting at the bounds its key item keeps. */
export const boundedSighting = (sighting: TripSighting): TripSighting => ({
  ...(sighting.sourceIp ? { sourceIp: sighting.sourceIp.slice(0, TRIP_LIMITS.sourceIp) } : {}),
  route: sighting.route.slice(0, TRIP_LIMITS.route),
});
