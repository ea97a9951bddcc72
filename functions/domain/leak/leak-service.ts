import { createHash } from 'node:crypto';
import { DETAIL_TYPES, keyEvent, publishQuietly } from '#domain/events/lifecycle-events.ts';
import { importedKeyId, isImportableSecret } from '#domain/keys/imported-secret.ts';
import { type ApiKey, isExpired, type KeyRecord, toApiKey } from '#domain/keys/key.ts';
import type { KeyService } from '#domain/keys/key-service.ts';
import { parseSecret } from '#domain/keys/secret.ts';
import { type PepperSet, secretMatches } from '#domain/keys/secret-hash.ts';
import type { EventPublisher } from '#domain/shared/ports.ts';
import type { RequestContext } from '#domain/shared/request-context.ts';

/**
 * Leak response: a reported token that is a real Latchkey secret (right format and checksum, the
 * key exists, and its HMAC matches the stored hash) is revoked or disabled through the key
 * service, so the usual audit record and lifecycle event follow, and an "API Key Leaked" event
 * goes out. Anything else is a false positive and changes nothing.
 */
export const LEAK_ACTIONS = ['revoke', 'disable'] as const;
export type LeakAction = (typeof LEAK_ACTIONS)[number];

/** The actor of every change a GitHub secret scanning report makes. */
export const GITHUB_SCANNING_ACTOR = 'github-secret-scanning';

/** One reported match: GitHub's `{ token, type, url, source }`, or an operator's secret. */
export interface LeakMatch {
  readonly token: string;
  readonly type?: string;
  /** Where the token was found; may be empty. */
  readonly url?: string;
  /** What kind of place it was found in (`content`, `commit`, `npm`, … or `operator`). */
  readonly source?: string;
}

export type LeakOutcome =
  | {
      readonly label: 'false_positive';
      readonly tokenHash: string;
      /** Why it is not a live Latchkey secret: no such format, no such key, or not its secret. */
      readonly code: 'MALFORMED' | 'NOT_FOUND' | 'INVALID_SECRET';
    }
  | {
      readonly label: 'true_positive';
      readonly tokenHash: string;
      readonly action: LeakAction;
      /** False when the key was already revoked (or disabled): a repeated report changes nothing. */
      readonly changed: boolean;
      readonly key: ApiKey;
    };

export interface LeakServiceDeps {
  readonly getKey: (keyId: string) => Promise<KeyRecord | undefined>;
  readonly peppers: () => Promise<PepperSet>;
  readonly keys: Pick<KeyService, 'revoke' | 'update'>;
  readonly events: EventPublisher;
  readonly now: () => Date;
  /** What a true positive gets unless the report says otherwise. */
  readonly action: LeakAction;
  /** Reports handled at once within one request. @default 8 */
  readonly concurrency?: number;
  readonly onEventError?: (error: unknown) => void;
}

/** SHA-256 hex of the raw token: the form GitHub's feedback takes, so no secret is echoed. */
export const tokenHash = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');

export class LeakService {
  constructor(private readonly deps: LeakServiceDeps) {}

  /**
   * Handles every match of one report. A token reported more than once in a batch is handled
   * once; each match gets its outcome, in order.
   */
  async report(
    matches: readonly LeakMatch[],
    ctx: RequestContext,
    action: LeakAction = this.deps.action,
  ): Promise<LeakOutcome[]> {
    const byToken = new Map<string, () => Promise<LeakOutcome>>();
    for (const match of matches) {
      if (!byToken.has(match.token)) {
        let once: Promise<LeakOutcome> | undefined;
        byToken.set(match.token, () => {
          once ??= this.handle(match, ctx, action);
          return once;
        });
      }
    }
    const tasks = [...byToken.values()];
    const limit = Math.max(1, this.deps.concurrency ?? 8);
    let next = 0;
    const worker = async () => {
      while (next < tasks.length) await (tasks[next++] as () => Promise<LeakOutcome>)();
    };
    await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
    return Promise.all(matches.map((m) => (byToken.get(m.token) as () => Promise<LeakOutcome>)()));
  }

  private async handle(match: LeakMatch, ctx: RequestContext, action: LeakAction): Promise<LeakOutcome> {
    const hash = tokenHash(match.token);
    const parsed = parseSecret(match.token);
    // An imported secret carries no key ID: its key is found by the ID derived from it, as a check does.
    if (!parsed.ok && !isImportableSecret(match.token))
      return { label: 'false_positive', tokenHash: hash, code: 'MALFORMED' };
    const peppers = await this.deps.peppers();
    const record = await this.deps.getKey(parsed.ok ? parsed.keyId : importedKeyId(match.token, peppers));
    // The same constant-time compare the authorizer makes, run even when there is no record.
    const matches = secretMatches(match.token, record, peppers);
    if (!record) return { label: 'false_positive', tokenHash: hash, code: 'NOT_FOUND' };
    if (!matches) return { label: 'false_positive', tokenHash: hash, code: 'INVALID_SECRET' };

    const context: Record<string, string> = { url: match.url ?? '', source: match.source ?? 'unknown' };
    if (match.type) context.tokenType = match.type;
    const { key, changed, revoke } = await this.act(record, ctx, action, context);
    return { label: 'true_positive', tokenHash: hash, action: revoke ? 'revoke' : 'disable', changed, key };
  }

  /**
   * A proven leak: the key revoked or disabled through the key service (its audit record and
   * lifecycle event follow, with `context` in the audit), and "API Key Leaked" once it changed.
   */
  async act(
    record: KeyRecord,
    ctx: RequestContext,
    action: LeakAction,
    context: Readonly<Record<string, string>>,
  ): Promise<{ key: ApiKey; changed: boolean; revoke: boolean }> {
    const acting: RequestContext = { ...ctx, auditContext: { ...ctx.auditContext, ...context } };
    // Disabling is for keys that could be enabled again. A superseded key in its grace period
    // cannot be disabled, and an expired one would come back with its leaked secret if someone
    // extended it: both are revoked.
    const revoke =
      action === 'revoke' || record.rotatedTo !== undefined || isExpired(record, this.deps.now());
    let key: ApiKey;
    if (record.status === 'revoked') key = toApiKey(record, this.deps.now());
    else if (revoke) key = await this.deps.keys.revoke(record.keyId, acting);
    else key = await this.deps.keys.update(record.keyId, { enabled: false }, undefined, acting);
    const changed = key.version !== record.version;
    if (changed) {
      const at = this.deps.now().toISOString();
      const event = keyEvent(DETAIL_TYPES.leaked, key, at, ctx.actor, {
        ...context,
        url: context.url ?? '',
        action: revoke ? 'revoke' : 'disable',
      });
      // The key is revoked or disabled either way; the audit record stays the source of truth.
      await publishQuietly([event], this.deps.events, this.deps.onEventError);
    }
    return { key, changed, revoke };
  }
}
