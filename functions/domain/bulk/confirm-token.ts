import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { PepperSet } from '#domain/keys/secret-hash.ts';
import type { BulkAction, BulkFilter } from './bulk-schemas.ts';

/** How long a dry run's token is accepted, by the service's clock. */
export const CONFIRM_TTL_MS = 10 * 60_000;

/** What a token carries: the filter (as a digest) and action it was issued for, the count, and when. */
export interface ConfirmClaims {
  readonly action: BulkAction;
  readonly filter: string;
  readonly matched: number;
  readonly issuedAt: string;
}

/**
 * The filter in one canonical form (fields in order, times as UTC ISO), digested: the same
 * filter written two ways is the same filter, and any other is not.
 */
export function filterDigest(filter: BulkFilter): string {
  const canonical = Object.entries(filter)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => [k, k.endsWith('Before') || k.endsWith('After') ? new Date(String(v)).toISOString() : v])
    .sort(([a], [b]) => String(a).localeCompare(String(b)));
  return createHash('sha256').update(JSON.stringify(canonical)).digest('base64url');
}

/** The signing key of confirm tokens under one pepper version: domain-separated from key hashes. */
const signingKey = (pepper: Buffer) =>
  createHmac('sha256', pepper).update('latchkey:bulk-confirm:v1').digest();

const sign = (body: string, pepper: Buffer) =>
  createHmac('sha256', signingKey(pepper)).update(body).digest('base64url');

/**
 * A dry run's token: its claims, signed under the current pepper, so no table holds it and a
 * forged or altered one is refused. A random part makes each dry run's token (and so its run)
 * its own.
 */
export function issueConfirm(claims: ConfirmClaims, peppers: PepperSet): string {
  const pepper = peppers.byVersion.get(peppers.currentVersion);
  if (!pepper) throw new Error('pepper: current version missing');
  const body = Buffer.from(
    JSON.stringify({ ...claims, v: peppers.currentVersion, n: randomBytes(9).toString('base64url') }),
  ).toString('base64url');
  return `${body}.${sign(body, pepper)}`;
}

/** The claims of a token this service signed (under any pepper version it still has), or undefined. */
export function readConfirm(token: string, peppers: PepperSet): ConfirmClaims | undefined {
  const [body, signature, extra] = token.split('.');
  if (!body || !signature || extra !== undefined) return undefined;
  let claims: Partial<ConfirmClaims> & { v?: unknown };
  try {
    claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  const pepper = typeof claims.v === 'string' ? peppers.byVersion.get(claims.v) : undefined;
  if (!pepper) return undefined;
  const expected = Buffer.from(sign(body, pepper));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
  if (
    (claims.action !== 'revoke' && claims.action !== 'disable') ||
    typeof claims.filter !== 'string' ||
    typeof claims.matched !== 'number' ||
    typeof claims.issuedAt !== 'string'
  )
    return undefined;
  return { action: claims.action, filter: claims.filter, matched: claims.matched, issuedAt: claims.issuedAt };
}

/** A run's ID: derived from its token, so every call with one token is the same run. */
export const runIdOf = (token: string) =>
  `bulk_${createHash('sha256').update(token).digest('base64url').slice(0, 22)}`;
