import { z } from 'zod';
import { importedKeyId, isImportableSecret } from '#domain/keys/imported-secret.ts';
import type { KeyRecord } from '#domain/keys/key.ts';
import { parseSecret } from '#domain/keys/secret.ts';
import { type PepperSet, secretHashUnder } from '#domain/keys/secret-hash.ts';
import { sameDigest } from '#domain/shared/digest.ts';
import type { RequestContext } from '#domain/shared/request-context.ts';
import type { LeakAction, LeakService } from './leak-service.ts';

/** The most strings one report may hold, as GitHub's credential revocation API. */
export const MAX_PUBLIC_CREDENTIALS = 1000;
/** Longer than any secret Latchkey checks (an imported one is at most 256 characters). */
const MAX_CREDENTIAL_LENGTH = 512;

/** POST /v1/credentials/revoke: what anyone who found secrets sends. */
export const credentialsRevokeBody = z
  .strictObject({
    credentials: z
      .array(z.string().max(MAX_CREDENTIAL_LENGTH, `must be at most ${MAX_CREDENTIAL_LENGTH} characters`))
      .min(1, 'must hold at least one string')
      .max(MAX_PUBLIC_CREDENTIALS, `must hold at most ${MAX_PUBLIC_CREDENTIALS} strings`)
      .meta({ description: 'The strings found: any that is a live Latchkey secret is revoked.' }),
  })
  .meta({ id: 'CredentialsRevokeRequest' });
export type CredentialsRevokeBody = z.infer<typeof credentialsRevokeBody>;

/** The one answer, whatever was sent: it says nothing of what the strings were. */
export const CREDENTIALS_ACCEPTED = {
  message: 'Thank you. Every string that is a live Latchkey secret will be revoked.',
} as const;
export const credentialsRevokeAnswer = z
  .object({ message: z.literal(CREDENTIALS_ACCEPTED.message) })
  .meta({ id: 'CredentialsAccepted', description: 'The same answer whatever was sent.' });

/** The actor of every change a public report makes. */
export const PUBLIC_REPORT_ACTOR = 'public-report';

/**
 * A reported string that could be a key, as the check needs it and no more: the key ID it names
 * (embedded, or derived for an imported secret) and its HMAC under each pepper version, so the
 * secret itself goes no further than the request (not into a queue, a log or a table).
 */
export interface Candidate {
  readonly keyId: string;
  readonly imported: boolean;
  /** base64url HMAC-SHA-256 by pepper version: what a stored `secretHash` is. */
  readonly hashes: Readonly<Record<string, string>>;
}

/** Where a report came from, for a canary's trip. */
export interface ReportSighting {
  readonly sourceIp?: string;
  readonly userAgent?: string;
}

export interface ReportBatch {
  readonly candidates: readonly Candidate[];
  readonly sighting: ReportSighting;
}

/** Hands a report to the check, after the answer: a Lambda invoked asynchronously, or this process. */
export interface ReportQueue {
  submit(batch: ReportBatch): Promise<void>;
}

/**
 * The candidates among reported strings: Latchkey-format strings whose checksum holds, and
 * strings an imported key could be. Every string costs the same work (the checksum, the lookup
 * HMAC and one HMAC per pepper version), so the answer's timing does not depend on which kind it
 * was; garbage is then dropped, and never costs a read.
 */
export function candidatesOf(strings: readonly string[], peppers: PepperSet): Candidate[] {
  const out: Candidate[] = [];
  const seen = new Set<string>();
  for (const secret of strings) {
    const parsed = parseSecret(secret);
    const importable = !parsed.ok && parsed.reason === 'prefix' && isImportableSecret(secret);
    const derived = importedKeyId(secret, peppers);
    const hashes: Record<string, string> = {};
    for (const [version, pepper] of peppers.byVersion) hashes[version] = secretHashUnder(secret, pepper);
    const keyId = parsed.ok ? parsed.keyId : derived;
    if ((!parsed.ok && !importable) || seen.has(`${keyId}:${hashes[peppers.currentVersion]}`)) continue;
    seen.add(`${keyId}:${hashes[peppers.currentVersion]}`);
    out.push({ keyId, imported: !parsed.ok, hashes });
  }
  return out;
}

export interface PublicReportDeps {
  readonly getKey: (keyId: string) => Promise<KeyRecord | undefined>;
  readonly leaks: Pick<LeakService, 'act'>;
  /** A named canary: its alarm (metric, log, event) and its trip on the record; the key stays as it is. */
  readonly canary: (key: KeyRecord, sighting: ReportSighting) => void;
  readonly action: LeakAction;
  /** Candidates checked at once. @default 8 */
  readonly concurrency?: number;
}

/** What a check found, for the log and the LeaksFound metric (never returned to the reporter). */
export interface ReportResult {
  readonly checked: number;
  readonly revoked: string[];
  readonly disabled: string[];
  readonly canaries: string[];
}

/**
 * The check behind POST /v1/credentials/revoke, after its answer: each candidate is one read by
 * key ID; a live key whose stored hash matches is revoked (or disabled, LATCHKEY_LEAK_ACTION)
 * with the actor `public-report` and "API Key Leaked"; a canary named by any string trips, as in
 * a check, and stays armed; anything else changes nothing.
 */
export class PublicReports {
  constructor(private readonly deps: PublicReportDeps) {}

  async check(batch: ReportBatch, ctx: RequestContext): Promise<ReportResult> {
    const result: ReportResult = {
      checked: batch.candidates.length,
      revoked: [],
      disabled: [],
      canaries: [],
    };
    const acting: RequestContext = { ...ctx, actor: PUBLIC_REPORT_ACTOR };
    let next = 0;
    const worker = async () => {
      while (next < batch.candidates.length) {
        const candidate = batch.candidates[next++] as Candidate;
        await this.one(candidate, batch.sighting, acting, result);
      }
    };
    const workers = Math.min(Math.max(1, this.deps.concurrency ?? 8), batch.candidates.length);
    await Promise.all(Array.from({ length: workers }, worker));
    return result;
  }

  private async one(
    candidate: Candidate,
    sighting: ReportSighting,
    ctx: RequestContext,
    result: ReportResult,
  ) {
    const record = await this.deps.getKey(candidate.keyId);
    // An imported secret's derived ID names only imported keys, as in a check.
    if (!record || (candidate.imported && !record.imported)) return;
    if (record.type === 'canary') {
      this.deps.canary(record, sighting);
      result.canaries.push(record.keyId);
      return;
    }
    if (!sameDigest(candidate.hashes[record.pepperVersion], record.secretHash, 'base64url')) return;
    if (record.status === 'revoked') return;
    const { changed, revoke } = await this.deps.leaks.act(record, ctx, this.deps.action, {
      source: PUBLIC_REPORT_ACTOR,
      url: '',
    });
    if (changed) (revoke ? result.revoked : result.disabled).push(record.keyId);
  }
}
