import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Changes } from '#domain/audit/audit-entry.ts';
import { derivedLookup, parsePepperSet } from '#domain/keys/secret-hash.ts';
import { type Same, timestamp } from '#domain/shared/answers.ts';
import { ApiError, notFound } from '#domain/shared/errors.ts';
import {
  type AuditEntry,
  PepperChangedError,
  type PepperUsageStore,
  type PepperVault,
  type PepperVersionUsage,
} from '#domain/shared/ports.ts';
import type { RequestContext } from '#domain/shared/request-context.ts';

/**
 * The pepper document, as Secrets Manager and the local file hold it:
 *   { "version": "3", "pepper": "<current>", "previous": { "1": "…", "2": "…" },
 *     "lookup": "<import lookup key>", "addedAt": { "2": "<ISO>", "3": "<ISO>" } }
 * Rotation adds a version and keeps every older one under `previous`, so stored hashes keep
 * verifying under their own version; retirement removes one that no live key uses.
 */
export interface PepperDocument {
  readonly version: string;
  readonly pepper: string;
  readonly previous?: Readonly<Record<string, string>>;
  readonly lookup?: string;
  readonly addedAt?: Readonly<Record<string, string>>;
}

export function readPepperDocument(raw: string): PepperDocument {
  parsePepperSet(raw);
  return JSON.parse(raw) as PepperDocument;
}

/** The next version: one past the highest numeric version so far. */
export function nextVersion(doc: PepperDocument): string {
  const numbers = [doc.version, ...Object.keys(doc.previous ?? {})]
    .map(Number)
    .filter((n) => Number.isSafeInteger(n) && n >= 0);
  return String(Math.max(0, ...numbers) + 1);
}

export const newPepper = () => randomBytes(32).toString('base64url');

/**
 * The document with a new current version. The import lookup key is frozen on the first
 * rotation (it was derived from the then-current pepper), so imported keys stay findable.
 */
export function rotatedDocument(doc: PepperDocument, pepper: string, at: string): PepperDocument {
  const version = nextVersion(doc);
  return {
    version,
    pepper,
    previous: { ...doc.previous, [doc.version]: doc.pepper },
    lookup: doc.lookup ?? derivedLookup(doc.pepper),
    addedAt: { ...doc.addedAt, [version]: at },
  };
}

export function retiredDocument(doc: PepperDocument, version: string): PepperDocument {
  const { [version]: _retired, ...previous } = doc.previous ?? {};
  const { [version]: _when, ...addedAt } = doc.addedAt ?? {};
  return { ...doc, previous, addedAt };
}

export interface PepperServiceDeps {
  readonly vault: PepperVault;
  readonly store: PepperUsageStore;
  readonly now: () => Date;
  /**
   * How long after a rotation the version it replaced may not be retired: the bound on how long
   * another instance's cached pepper may still hash new keys under it (the pepper cache's max age).
   */
  readonly retireGraceSeconds: number;
}

/** GET /v1/pepper: the versions, never the peppers, with how many live keys each still verifies. */
export const pepperListSchema = z
  .object({
    currentVersion: z.string(),
    versions: z.array(
      z
        .object({
          version: z.string(),
          current: z.boolean(),
          addedAt: timestamp.nullable(),
          liveKeys: z.number().int(),
          countedBy: z.enum(['counter', 'scan']).meta({
            description:
              "`counter`: the version's counter; `scan`: counted by a scan (versions from before counters).",
          }),
        })
        .meta({ id: 'PepperVersion' }),
    ),
  })
  .meta({ id: 'PepperList' });
export type PepperVersionView = z.output<typeof pepperListSchema>['versions'][number];
true satisfies Same<Pick<PepperVersionView, 'liveKeys' | 'countedBy'>, PepperVersionUsage>;

/** POST /v1/pepper/rotate: new keys are hashed under `currentVersion`; older versions keep verifying. */
export const pepperRotationSchema = z
  .object({ currentVersion: z.string(), previousVersion: z.string() })
  .meta({ id: 'PepperRotation' });

/** POST /v1/pepper/versions/{version}/retire. */
export const pepperRetirementSchema = z
  .object({ retired: z.string(), currentVersion: z.string() })
  .meta({ id: 'PepperRetirement' });

/** Pepper rotation: list versions with their live keys, add a version, retire an unused one. */
export class PepperService {
  constructor(private readonly deps: PepperServiceDeps) {}

  /** Writes only over the document the change was made from: two changes never lose one. */
  private async write(raw: string, expected: string) {
    try {
      await this.deps.vault.write(raw, expected);
    } catch (error) {
      if (error instanceof PepperChangedError) throw new ApiError('CONFLICT', error.message);
      throw error;
    }
  }

  async list(): Promise<z.output<typeof pepperListSchema>> {
    const doc = readPepperDocument(await this.deps.vault.read());
    const versions = [doc.version, ...Object.keys(doc.previous ?? {}).filter((v) => v !== doc.version)];
    return {
      currentVersion: doc.version,
      versions: await Promise.all(
        versions.map(async (version) => ({
          version,
          current: version === doc.version,
          addedAt: doc.addedAt?.[version] ?? null,
          ...(await this.deps.store.usage(version)),
        })),
      ),
    };
  }

  async rotate(ctx: RequestContext): Promise<z.output<typeof pepperRotationSchema>> {
    const at = this.deps.now().toISOString();
    const raw = await this.deps.vault.read();
    const doc = readPepperDocument(raw);
    const next = rotatedDocument(doc, newPepper(), at);
    // The counter exists before any key can be hashed under the new version.
    await this.deps.store.track(next.version);
    await this.write(JSON.stringify(next), raw);
    await this.deps.store.audit(
      pepperAudit(ctx, at, 'pepper.rotated', next.version, {
        currentVersion: { before: doc.version, after: next.version },
      }),
    );
    return { currentVersion: next.version, previousVersion: doc.version };
  }

  async retire(version: string, ctx: RequestContext): Promise<z.output<typeof pepperRetirementSchema>> {
    const now = this.deps.now();
    const raw = await this.deps.vault.read();
    const doc = readPepperDocument(raw);
    if (version === doc.version) {
      throw new ApiError(
        'CONFLICT',
        `pepper version ${version} is the current version; rotate the pepper first (POST /v1/pepper/rotate)`,
      );
    }
    if (!doc.previous || !Object.hasOwn(doc.previous, version)) throw notFound(`pepper version ${version}`);
    const successorAdded = successorOf(doc, version);
    const wait = successorAdded
      ? Math.ceil((Date.parse(successorAdded) + this.deps.retireGraceSeconds * 1000 - now.getTime()) / 1000)
      : 0;
    if (wait > 0) {
      throw new ApiError(
        'CONFLICT',
        `pepper version ${version} was replaced less than ${this.deps.retireGraceSeconds} s ago and cached peppers may still hash new keys under it; retry in ${wait} s`,
      );
    }
    const { liveKeys } = await this.deps.store.usage(version);
    if (liveKeys > 0) {
      throw new ApiError(
        'CONFLICT',
        `pepper version ${version} is still used by ${liveKeys} live ${liveKeys === 1 ? 'key' : 'keys'}; rotate or revoke them first`,
      );
    }
    await this.write(JSON.stringify(retiredDocument(doc, version)), raw);
    await this.deps.store.audit(
      pepperAudit(ctx, now.toISOString(), 'pepper.retired', version, {
        previousVersions: {
          before: Object.keys(doc.previous),
          after: Object.keys(doc.previous).filter((v) => v !== version),
        },
      }),
    );
    return { retired: version, currentVersion: doc.version };
  }
}

/** When the version after `version` was added (the version that replaced it), if known. */
function successorOf(doc: PepperDocument, version: string): string | undefined {
  const later = Object.entries(doc.addedAt ?? {})
    .filter(([v]) => Number(v) > Number(version))
    .sort(([a], [b]) => Number(a) - Number(b));
  return later[0]?.[1];
}

const pepperAudit = (
  ctx: RequestContext,
  at: string,
  action: string,
  pepperVersion: string,
  changes: Changes,
): AuditEntry => ({ at, actor: ctx.actor, action, pepperVersion, changes, requestId: ctx.requestId });

export const pepperVersionPath = z.strictObject({
  version: z
    .string()
    .min(1)
    .max(32)
    .regex(/^[A-Za-z0-9._-]+$/, 'must be a pepper version (letters, digits, . _ -)'),
});
