import { z } from 'zod';
import { KEY_STATUSES } from '#domain/keys/key.ts';
import {
  createKeyBody,
  identifier,
  keyId,
  LIMITS,
  label,
  roles,
  scope,
  text,
  uniqueList,
} from '#domain/shared/schemas.ts';
import { PORTAL_KEY_TYPES, PORTAL_PERMISSIONS, type PortalCreateInput } from './portal-grant.ts';

/** Portal sessions last from one minute to twelve hours. */
export const SESSION_SECONDS = { min: 60, max: 43_200, default: 3600 } as const;

const httpUrl = (protocols: RegExp, what: string) =>
  text(2048).pipe(z.url({ protocol: protocols, error: `must be an ${what} URL` }));

/** `#rrggbb`: set as a CSS custom property by the page, never as markup. */
const accentColor = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour as #rrggbb');

export const branding = z.strictObject({
  productName: label(64),
  logoUrl: httpUrl(/^https$/, 'https').optional(),
  accentColor: accentColor.optional(),
});
export type Branding = z.infer<typeof branding>;

/** POST /v1/portal/sessions: who the link is for and what it allows. */
export const createPortalSessionBody = z
  .strictObject({
    /** The user in the team's product; the owner of the personal keys they create. */
    subject: identifier(LIMITS.owner),
    scope,
    permissions: uniqueList(z.enum(PORTAL_PERMISSIONS), PORTAL_PERMISSIONS.length)
      .min(1, 'must allow at least one permission')
      .default([...PORTAL_PERMISSIONS]),
    roles: roles.min(1, 'must allow at least one role').default(['read']),
    types: uniqueList(z.enum(PORTAL_KEY_TYPES), PORTAL_KEY_TYPES.length)
      .min(1, 'must allow at least one type')
      .default([...PORTAL_KEY_TYPES]),
    personalKeys: z.enum(['own', 'all']).default('own'),
    expiresInSeconds: z
      .number()
      .int()
      .min(SESSION_SECONDS.min, `must be at least ${SESSION_SECONDS.min} (one minute)`)
      .max(SESSION_SECONDS.max, `must be at most ${SESSION_SECONDS.max} (12 hours)`)
      .default(SESSION_SECONDS.default),
    returnUrl: httpUrl(/^https?$/, 'http(s)').optional(),
    branding: branding.optional(),
  })
  .meta({ id: 'CreatePortalSessionRequest' });
export type CreatePortalSessionInput = z.infer<typeof createPortalSessionBody>;

export const sessionIdShape = /^ps_[0-9A-Za-z]{22}$/;
export const portalSessionPath = z.strictObject({
  sessionId: z.string().regex(sessionIdShape, 'must be a portal session ID (ps_…)'),
});

/**
 * GET /portal/enter?code=…: the one-time code of a portal link. Other parameters (a mail client's
 * tracking, say) are ignored, and a missing or malformed code is a refused link like any other.
 */
export const enterQuery = z.object({ code: z.string().max(256).optional() });

/**
 * A create in the portal: the /v1 body with no defaults filled in, so the portal can tell what the
 * user asked for from what it must choose for them (the session's scope, its roles, the owner).
 */
export const portalCreateKeyBody = z
  .strictObject(
    Object.fromEntries(
      Object.entries(createKeyBody.shape).map(([field, schema]) => [
        field,
        schema instanceof z.ZodDefault ? (schema.unwrap() as z.ZodType).optional() : schema,
      ]),
    ),
  )
  .meta({ id: 'PortalCreateKeyRequest' }) as unknown as z.ZodType<PortalCreateInput, unknown>;

/** GET /portal/api/keys: search and status, paged as /v1. */
export const portalListQuery = z.strictObject({
  search: text(128).min(1).optional(),
  status: z.enum(KEY_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(LIMITS.pageSize).default(50),
  cursor: text(2048).min(1).optional(),
});
export type PortalListInput = z.infer<typeof portalListQuery>;

export const portalKeyPath = z.strictObject({ keyId });
