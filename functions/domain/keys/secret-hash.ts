import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The pepper set: the current version used for new hashes, and every version still able to verify
 * a stored hash. The stored form (Secrets Manager, or the local pepper file) is JSON:
 *   { "version": "2", "pepper": "<current>", "previous": { "1": "<older>" } }
 * which is also what a CDK-generated secret (`generateStringKey: 'pepper'`) looks like.
 */
export interface PepperSet {
  readonly currentVersion: string;
  readonly byVersion: ReadonlyMap<string, Buffer>;
  /**
   * The key that derives an imported key's ID from its secret (see imported.ts). It never
   * rotates: the stored `"lookup"`, else (before the first rotation wrote it) one derived from the
   * current pepper, which the first rotation then stores.
   */
  readonly lookupKey: Buffer;
}

/** The `"lookup"` of a pepper document that does not store one yet (the first rotation stores it). */
export const derivedLookup = (pepper: string) =>
  createHmac('sha256', Buffer.from(pepper, 'utf8')).update('latchkey:import-lookup:v1').digest('base64url');

export function parsePepperSet(raw: string): PepperSet {
  let doc: unknown;
  try {
    doc = JSON.parse(raw);
  } catch {
    throw new Error('pepper: not valid JSON');
  }
  if (typeof doc !== 'object' || doc === null) throw new Error('pepper: expected an object');
  const { version, pepper, previous, lookup } = doc as {
    version?: unknown;
    pepper?: unknown;
    previous?: unknown;
    lookup?: unknown;
  };
  if (typeof version !== 'string' || version.length === 0)
    throw new Error('pepper: "version" must be a string');
  if (typeof pepper !== 'string' || pepper.length < 32)
    throw new Error('pepper: "pepper" must be ≥ 32 characters');
  const byVersion = new Map<string, Buffer>([[version, Buffer.from(pepper, 'utf8')]]);
  if (previous !== undefined) {
    if (typeof previous !== 'object' || previous === null)
      throw new Error('pepper: "previous" must be an object');
    for (const [v, p] of Object.entries(previous)) {
      if (typeof p !== 'string' || p.length < 32)
        throw new Error(`pepper: previous "${v}" must be ≥ 32 characters`);
      if (!byVersion.has(v)) byVersion.set(v, Buffer.from(p, 'utf8'));
    }
  }
  if (lookup !== undefined && (typeof lookup !== 'string' || lookup.length < 32))
    throw new Error('pepper: "lookup" must be ≥ 32 characters');
  const lookupKey = Buffer.from(typeof lookup === 'string' ? lookup : derivedLookup(pepper), 'utf8');
  return { currentVersion: version, byVersion, lookupKey };
}

export interface SecretHash {
  readonly secretHash: string;
  readonly pepperVersion: string;
}

/** A secret's stored hash under one pepper: HMAC-SHA256, base64url. */
export const secretHashUnder = (secret: string, pepper: Buffer): string =>
  createHmac('sha256', pepper).update(secret, 'utf8').digest('base64url');

export function hashSecret(secret: string, peppers: PepperSet): SecretHash {
  const pepper = peppers.byVersion.get(peppers.currentVersion);
  if (!pepper) throw new Error('pepper: current version missing');
  return { secretHash: secretHashUnder(secret, pepper), pepperVersion: peppers.currentVersion };
}

// Used when there is nothing to compare against, so that every path does the same HMAC work.
const DUMMY_PEPPER = Buffer.alloc(32, 7);
const DUMMY_HASH = Buffer.alloc(32);

/**
 * HMAC the presented secret under the stored hash's pepper version and compare in constant time.
 * When the version is unknown or the stored hash is malformed, it still computes an HMAC and
 * compares, so timing does not reveal which case occurred.
 */
export function secretMatches(secret: string, stored: SecretHash | undefined, peppers: PepperSet): boolean {
  const pepper = stored ? peppers.byVersion.get(stored.pepperVersion) : undefined;
  const presented = createHmac('sha256', pepper ?? DUMMY_PEPPER)
    .update(secret, 'utf8')
    .digest();
  const expected = stored ? Buffer.from(stored.secretHash, 'base64url') : DUMMY_HASH;
  const comparable = expected.length === presented.length ? expected : DUMMY_HASH;
  const equal = timingSafeEqual(presented, comparable);
  return equal && pepper !== undefined && comparable === expected;
}
