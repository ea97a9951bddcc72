import type { ApiKey, KeyRecord, KeyStatus } from '#domain/keys/key.ts';
import { toApiKey } from '#domain/keys/key.ts';
import type { KeyService } from '#domain/keys/key-service.ts';
import { ApiError, notFound } from '#domain/shared/errors.ts';
import type { Page } from '#domain/shared/ports.ts';
import type { RequestContext } from '#domain/shared/request-context.ts';
import type { UpdateKeyInput } from '#domain/shared/schemas.ts';
import { keyUsageAnswer } from '#domain/usage/key-usage.ts';
import type { UsageStore } from '#domain/usage/usage-store.ts';
import {
  keyVisible,
  type PortalCreateInput,
  type PortalGrant,
  type PortalPermission,
  type PortalScope,
  portalCreate,
  portalUpdateRefusals,
  type Refusal,
} from './portal-grant.ts';
import type { PortalListInput } from './portal-schemas.ts';

/** The keys of one portal session's scope, as the store lists them (an index by scope, never a scan). */
export interface ScopedKeyQuery {
  readonly scope: PortalScope;
  /** Personal keys of this owner only (service keys of any owner); undefined: every personal key. */
  readonly personalOwner?: string;
  readonly search?: string;
  readonly status?: KeyStatus;
}

export interface ScopedKeyLister {
  listInScope(
    query: ScopedKeyQuery,
    limit: number,
    cursor: string | undefined,
    now: Date,
  ): Promise<Page<KeyRecord>>;
}

export interface PortalKeyDeps {
  readonly keys: KeyService;
  readonly getKey: (keyId: string) => Promise<KeyRecord | undefined>;
  readonly lister: ScopedKeyLister;
  readonly usage: Pick<UsageStore, 'days'>;
  readonly now: () => Date;
}

const ACTIONS: Record<PortalPermission, string> = {
  'api.key.view': 'view keys',
  'api.key.create': 'create keys',
  'api.key.update': 'change keys',
  'api.key.delete': 'revoke or delete keys',
};

const refusedWith = (refused: readonly Refusal[]) =>
  new ApiError(
    'FORBIDDEN',
    `this portal session does not allow it: ${refused.map((r) => `${r.field} ${r.message}`).join('; ')}`,
    refused,
  );

/**
 * The key service as a portal user sees it: only the keys of their session's scope (the scope's
 * service keys and their own personal keys, or every personal key there with `personalKeys: all`),
 * only what their session permits, and every other key (real or invented) answering exactly as a
 * key that does not exist.
 */
export class PortalKeyService {
  constructor(private readonly deps: PortalKeyDeps) {}

  async list(grant: PortalGrant, input: PortalListInput): Promise<Page<ApiKey>> {
    this.require(grant, 'api.key.view');
    const now = this.deps.now();
    const { limit, cursor, search, status } = input;
    const page = await this.deps.lister.listInScope(
      {
        scope: grant.scope,
        ...(grant.personalKeys === 'own' ? { personalOwner: grant.subject } : {}),
        ...(search ? { search } : {}),
        ...(status ? { status } : {}),
      },
      limit,
      cursor,
      now,
    );
    return {
      ...page,
      // The store selects by scope; the domain holds the rule, whatever the store returned.
      items: page.items.filter((r) => keyVisible(grant, r)).map((r) => toApiKey(r, now)),
    };
  }

  async get(grant: PortalGrant, keyId: string): Promise<ApiKey> {
    this.require(grant, 'api.key.view');
    return toApiKey(await this.visible(grant, keyId), this.deps.now());
  }

  async create(grant: PortalGrant, body: PortalCreateInput, ctx: RequestContext) {
    this.require(grant, 'api.key.create');
    const made = portalCreate(grant, body);
    if ('refused' in made) throw refusedWith(made.refused);
    return this.deps.keys.create(made.input, ctx);
  }

  async update(
    grant: PortalGrant,
    keyId: string,
    body: UpdateKeyInput,
    ifMatch: number | undefined,
    ctx: RequestContext,
  ) {
    this.require(grant, 'api.key.update');
    await this.visible(grant, keyId);
    const refused = portalUpdateRefusals(grant, body);
    if (refused.length) throw refusedWith(refused);
    return this.deps.keys.update(keyId, body, ifMatch, ctx);
  }

  async revoke(grant: PortalGrant, keyId: string, ctx: RequestContext) {
    this.require(grant, 'api.key.delete');
    await this.visible(grant, keyId);
    return this.deps.keys.revoke(keyId, ctx);
  }

  async delete(grant: PortalGrant, keyId: string, ctx: RequestContext) {
    this.require(grant, 'api.key.delete');
    await this.visible(grant, keyId);
    await this.deps.keys.delete(keyId, ctx);
  }

  /** A rotation makes a key and ends one: it needs both permissions. */
  async rotate(grant: PortalGrant, keyId: string, graceSeconds: number, ctx: RequestContext) {
    this.require(grant, 'api.key.create', 'api.key.delete');
    await this.visible(grant, keyId);
    return this.deps.keys.rotate(keyId, graceSeconds, ctx);
  }

  async usage(grant: PortalGrant, keyId: string, days: number) {
    this.require(grant, 'api.key.view');
    return keyUsageAnswer(await this.visible(grant, keyId), days, this.deps.usage, this.deps.now());
  }

  /** The key, if this session may see it; otherwise the very answer a missing key gets. */
  private async visible(grant: PortalGrant, keyId: string): Promise<KeyRecord> {
    const record = await this.deps.getKey(keyId);
    if (!record || !keyVisible(grant, record)) throw notFound(`key ${keyId}`);
    return record;
  }

  private require(grant: PortalGrant, ...needed: PortalPermission[]) {
    const missing = needed.filter((p) => !grant.permissions.includes(p));
    if (missing.length)
      throw new ApiError(
        'FORBIDDEN',
        `this portal session may not ${missing.map((p) => ACTIONS[p]).join(' or ')} (it lacks ${missing.join(', ')})`,
        missing.map((p) => ({ field: 'permissions', message: `${p} is not granted to this session` })),
      );
  }
}
