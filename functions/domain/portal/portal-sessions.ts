import { createHash } from 'node:crypto';
import { z } from 'zod';
import { auditEntry } from '#domain/audit/audit-entry.ts';
import { keyScopeSchema } from '#domain/keys/key-answers.ts';
import { randomBase62 } from '#domain/keys/secret.ts';
import { type Same, timestamp } from '#domain/shared/answers.ts';
import { sameDigest } from '#domain/shared/digest.ts';
import { ApiError, notFound } from '#domain/shared/errors.ts';
import type { AuditEntry, RoleLookup } from '#domain/shared/ports.ts';
import type { RequestContext } from '#domain/shared/request-context.ts';
import { PORTAL_KEY_TYPES, PORTAL_PERMISSIONS, type PortalGrant, portalActor } from './portal-grant.ts';
import { type Branding, branding, type CreatePortalSessionInput, sessionIdShape } from './portal-schemas.ts';

/** A portal link works once, within ten minutes of being made (or until its session ends, if sooner). */
export const LINK_SECONDS = 600;
const SECRET_LENGTH = 43;
const CREDENTIAL = new RegExp(`^(${sessionIdShape.source.slice(1, -1)})\\.([0-9A-Za-z]{${SECRET_LENGTH}})$`);

/** A portal session as stored: the grant, the team's page details, and hashes, never a code or token. */
export interface StoredPortalSession extends PortalGrant {
  readonly returnUrl?: string;
  readonly branding?: Branding;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly expiresAt: string;
  /** SHA-256 of the link's one-time code. */
  readonly codeHash: string;
  readonly codeExpiresAt: string;
  /** SHA-256 of the session token, once the link has been opened. */
  readonly tokenHash?: string;
  readonly enteredAt?: string;
}

/** Where portal sessions are kept (DynamoDB, with TTL at the session's end). */
export interface PortalSessionStore {
  create(session: StoredPortalSession, audit: AuditEntry): Promise<void>;
  /** Strongly consistent: an ended session must fail its next request. */
  get(sessionId: string): Promise<StoredPortalSession | undefined>;
  /**
   * Marks the link used and stores the token's hash, if the code still matches, was never used,
   * and neither it nor the session has expired at `at`; false if any of that no longer holds.
   */
  enter(
    sessionId: string,
    codeHash: string,
    tokenHash: string,
    at: string,
    audit: AuditEntry,
  ): Promise<boolean>;
  /** Deletes the session; false if there was none. */
  end(sessionId: string, audit: AuditEntry): Promise<boolean>;
}

export interface PortalSessionDeps {
  readonly store: PortalSessionStore;
  readonly roles: RoleLookup;
  readonly now: () => Date;
  /** The portal's origin (https://portal.example.com; locally the server's own URL). */
  readonly portalUrl: string;
}

/** What the portal page is told about its session (GET /portal/api/session). */
export interface PortalSessionView extends PortalGrant {
  readonly expiresAt: string;
  readonly returnUrl?: string;
  readonly branding?: Branding;
}

/** GET /portal/api/session: who the page is for and what it may do, until when. */
export const portalSessionViewSchema = z
  .object({
    sessionId: z.string(),
    subject: z.string().meta({ description: "The user in the team's product." }),
    scope: keyScopeSchema,
    permissions: z.array(z.enum(PORTAL_PERMISSIONS)),
    roles: z.array(z.string()).meta({ description: 'The roles this user may give a key.' }),
    types: z.array(z.enum(PORTAL_KEY_TYPES)),
    personalKeys: z
      .enum(['own', 'all'])
      .meta({ description: "`all`: the user also sees other people's personal keys in the scope." }),
    expiresAt: timestamp,
    returnUrl: z.string().optional(),
    branding: branding.optional(),
  })
  .meta({ id: 'PortalSession' });
true satisfies Same<PortalSessionView, z.output<typeof portalSessionViewSchema>>;

/** POST /v1/portal/sessions: the one-time link for the user (its code is in this answer only). */
export const portalLinkSchema = z
  .object({
    url: z
      .string()
      .meta({ description: 'Give it to the user: it opens the portal once, within ten minutes.' }),
    expiresAt: timestamp.meta({ description: 'When the session ends.' }),
    sessionId: z
      .string()
      .meta({ description: 'To end the session early: DELETE /v1/portal/sessions/{sessionId}.' }),
  })
  .meta({ id: 'PortalLink' });

/**
 * The portal session cookie's names: over https `__Host-` prefixed (bound to the portal's exact
 * origin); over plain http (locally) it cannot be.
 */
export const PORTAL_COOKIE = { secure: '__Host-latchkey_portal', plain: 'latchkey_portal' } as const;

export const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

/** `<sessionId>.<secret>`: a link's code or a session token. */
export function parseCredential(
  value: string | undefined,
): { sessionId: string; secret: string } | undefined {
  const match = value === undefined ? null : CREDENTIAL.exec(value);
  return match ? { sessionId: match[1] as string, secret: match[2] as string } : undefined;
}

const sessionSubject = (sessionId: string) => ({ portalSession: sessionId });

/**
 * Portal sessions, in the way of Stripe's customer portal: the team's backend (an operator) asks
 * for a link for one of its users; opening the link once turns its code into a session token
 * (the page's cookie); each request of the portal is checked against the session.
 */
export class PortalSessionService {
  constructor(private readonly deps: PortalSessionDeps) {}

  async create(
    input: CreatePortalSessionInput,
    ctx: RequestContext,
  ): Promise<z.output<typeof portalLinkSchema>> {
    const missing = await this.deps.roles.missingRoles(input.roles);
    if (missing.length)
      throw new ApiError(
        'VALIDATION_FAILED',
        'invalid request',
        missing.map((name) => ({ field: 'roles', message: `role "${name}" does not exist` })),
      );
    const now = this.deps.now();
    const sessionId = `ps_${randomBase62(22)}`;
    const code = randomBase62(SECRET_LENGTH);
    const expiresAt = new Date(now.getTime() + input.expiresInSeconds * 1000).toISOString();
    const codeExpiresAt = new Date(
      Math.min(now.getTime() + LINK_SECONDS * 1000, Date.parse(expiresAt)),
    ).toISOString();
    const { expiresInSeconds: _seconds, ...grant } = input;
    const session: StoredPortalSession = {
      sessionId,
      ...grant,
      createdAt: now.toISOString(),
      createdBy: ctx.actor,
      expiresAt,
      codeHash: sha256(code),
      codeExpiresAt,
    };
    const { subject, scope, permissions, roles, types, personalKeys } = session;
    await this.deps.store.create(
      session,
      auditEntry(ctx, session.createdAt, 'portal.session.created', sessionSubject(sessionId), {
        session: {
          before: null,
          after: { subject, scope, permissions, roles, types, personalKeys, expiresAt },
        },
      }),
    );
    const url = new URL('/portal/enter', this.deps.portalUrl);
    url.searchParams.set('code', `${sessionId}.${code}`);
    return { url: url.href, expiresAt, sessionId };
  }

  /**
   * Opening a link: its code, once, for a new session token. Undefined for a code that is
   * malformed, unknown, used, expired, or whose session has ended; the caller cannot tell which.
   */
  async enter(
    code: string,
    requestId: string,
  ): Promise<{ token: string; session: StoredPortalSession } | undefined> {
    const parsed = parseCredential(code);
    if (!parsed) return undefined;
    const session = await this.deps.store.get(parsed.sessionId);
    const now = this.deps.now();
    const at = now.toISOString();
    if (
      !session ||
      session.tokenHash !== undefined ||
      session.codeExpiresAt <= at ||
      session.expiresAt <= at ||
      !sameDigest(sha256(parsed.secret), session.codeHash, 'hex')
    )
      return undefined;
    const secret = randomBase62(SECRET_LENGTH);
    const ctx = { actor: portalActor(session.subject), requestId };
    const entered = await this.deps.store.enter(
      session.sessionId,
      session.codeHash,
      sha256(secret),
      at,
      auditEntry(ctx, at, 'portal.session.entered', sessionSubject(session.sessionId), {}),
    );
    return entered ? { token: `${session.sessionId}.${secret}`, session } : undefined;
  }

  /** The session a token belongs to, if it is live; undefined otherwise (no cookie, forged, ended, expired). */
  async authenticate(token: string | undefined): Promise<StoredPortalSession | undefined> {
    const parsed = parseCredential(token);
    if (!parsed) return undefined;
    const session = await this.deps.store.get(parsed.sessionId);
    if (!session?.tokenHash || session.expiresAt <= this.deps.now().toISOString()) return undefined;
    return sameDigest(sha256(parsed.secret), session.tokenHash, 'hex') ? session : undefined;
  }

  /** DELETE /v1/portal/sessions/{sessionId}: the session ends at once (a 404 if there is none). */
  async end(sessionId: string, ctx: RequestContext): Promise<void> {
    const at = this.deps.now().toISOString();
    const ended = await this.deps.store.end(
      sessionId,
      auditEntry(ctx, at, 'portal.session.ended', sessionSubject(sessionId), {}),
    );
    if (!ended) throw notFound(`portal session ${sessionId}`);
  }

  /** The user signs out: their own session ends. */
  async logout(session: StoredPortalSession, ctx: RequestContext): Promise<void> {
    const at = this.deps.now().toISOString();
    await this.deps.store.end(
      session.sessionId,
      auditEntry(ctx, at, 'portal.session.ended', sessionSubject(session.sessionId), {}),
    );
  }

  static view(session: StoredPortalSession): PortalSessionView {
    const {
      codeHash: _c,
      codeExpiresAt: _e,
      tokenHash: _t,
      enteredAt: _n,
      createdBy: _b,
      createdAt: _a,
      ...view
    } = session;
    return view;
  }
}
