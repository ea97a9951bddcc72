import type { ApiKey, KeyDetail, KeyScope } from '@latchkey/client/types';
import type { Ctx } from '../../lib/context.ts';
import { type Column, fields, list, paint, type Style, status, table, time } from '../../lib/output.ts';

/** How keys read in a terminal: one key as fields, many as a table. */
export function scopeText(scope: KeyScope): string {
  if ('workspaceId' in scope) return `workspace ${scope.workspaceId}`;
  const workspaces = scope.workspaceIds === '*' ? 'all workspaces' : scope.workspaceIds.join(', ');
  return `organization ${scope.organizationId} (${workspaces})`;
}

export function statusText(style: Style, key: ApiKey): string {
  const due =
    key.rotationDue && key.status === 'active' ? ` ${paint(style, 'yellow', '(rotation due)')}` : '';
  return status(style, key.status) + due;
}

const when = (style: Style, iso: string | null | undefined, missing = '-') => {
  const shown = time(style, iso, missing);
  return iso && shown !== iso ? `${shown} (${iso})` : shown;
};

export function keyFields(style: Style, key: KeyDetail): string {
  const pairs: [string, string][] = [
    ['Key ID', key.keyId],
    ['Name', key.name],
  ];
  if (key.description) pairs.push(['Description', key.description]);
  pairs.push(
    ['Status', statusText(style, key)],
    ['Type', key.type],
    ['Environment', key.environment],
    ['Owner', key.owner],
    ['Scope', scopeText(key.scope)],
    ['Roles', list(key.roles)],
    ['Permissions', list(key.permissions)],
    ['IP allowlist', list(key.ipAllowlist, 'any')],
  );
  const metadata = Object.entries(key.metadata ?? {});
  if (metadata.length > 0) pairs.push(['Metadata', metadata.map(([k, v]) => `${k}=${v}`).join(', ')]);
  if (key.usageIdentifierKey) pairs.push(['Usage plan key', key.usageIdentifierKey]);
  if (key.plan) pairs.push(['Plan', key.plan]);
  pairs.push(
    ['Expires', when(style, key.expiresAt, 'never')],
    ['Created', `${when(style, key.createdAt)} by ${key.createdBy}`],
    ['Updated', when(style, key.updatedAt)],
    ['Last used', when(style, key.lastUsedAt, 'never')],
  );
  // The last use's request, as usage counting saw it.
  if (key.lastUsedRoute) pairs.push(['Last request', key.lastUsedRoute]);
  if (key.lastUsedIp) pairs.push(['Last address', key.lastUsedIp]);
  if (key.lastUsedAgent) pairs.push(['Last agent', key.lastUsedAgent]);
  pairs.push(['Rotation due', when(style, key.rotationDueAt)]);
  if (key.rotatedFrom) pairs.push(['Rotated from', key.rotatedFrom]);
  if (key.rotatedTo) pairs.push(['Rotated to', key.rotatedTo]);
  if (key.revokedAt) pairs.push(['Revoked', when(style, key.revokedAt)]);
  if (key.graceUsage) {
    const { since, requests, lastUsedAt } = key.graceUsage;
    const old = key.rotatedTo ? 'this key' : `${key.rotatedFrom ?? 'the old key'}`;
    pairs.push([
      'Grace usage',
      `${requests} request${requests === 1 ? '' : 's'} by ${old} since the rotation ${time(style, since)}, last ${time(style, lastUsedAt, 'never')}`,
    ]);
  }
  pairs.push(['Version', String(key.version)]);
  return fields(style, pairs);
}

export function printKey(ctx: Ctx, key: KeyDetail): void {
  ctx.out(keyFields(ctx.style(), key));
}

export function keysTable(style: Style, keys: readonly ApiKey[]): string {
  const wide = style.wide === true;
  const columns: Column[] = [
    { header: 'NAME', shrink: true },
    { header: 'KEY ID' },
    { header: 'ROLES', shrink: true },
    { header: 'OWNER', shrink: true },
    ...(wide
      ? [{ header: 'TYPE' }, { header: 'ENVIRONMENT' }, { header: 'SCOPE' }, { header: 'PERMISSIONS' }]
      : []),
    { header: 'CREATED' },
    { header: 'EXPIRES' },
    { header: 'LAST USED' },
    ...(wide ? [{ header: 'ROTATION DUE' }] : []),
    { header: 'STATUS' },
  ];
  const rows = keys.map((key) => [
    key.name,
    key.keyId,
    list(key.roles),
    key.owner,
    ...(wide ? [key.type, key.environment, scopeText(key.scope), list(key.permissions)] : []),
    time(style, key.createdAt),
    time(style, key.expiresAt, 'never'),
    time(style, key.lastUsedAt, 'never'),
    ...(wide ? [key.rotationDueAt] : []),
    statusText(style, key),
  ]);
  return table(style, columns, rows);
}

/** The secret, once: on stdout, with the warning on stderr. */
export function printSecret(ctx: Ctx, secret: string): void {
  const style = ctx.style();
  ctx.out(`${paint(style, 'dim', 'Secret')}  ${paint(style, 'bold', secret)}`);
  warnOnce(ctx);
}

export function warnOnce(ctx: Ctx): void {
  ctx.err(
    paint(
      ctx.errStyle(),
      'yellow',
      'warning: store this secret now: it will not be shown again and cannot be recovered',
    ),
  );
}
