/**
 * Permissions are `resource:action` strings. A granted permission may use `*` for a whole segment
 * (`*:read`, `orders:*`), and a trailing `*` covers every deeper segment; `*` alone grants all.
 */
export interface RoleDef {
  readonly name: string;
  readonly description: string;
  readonly permissions: readonly string[];
}

export const BUILTIN_ROLES: Readonly<Record<string, RoleDef>> = {
  read: {
    name: 'read',
    description: 'Read any resource (every `*:read` permission).',
    permissions: ['*:read'],
  },
  write: {
    name: 'write',
    description: 'Read and write any resource (`*:read`, `*:write`).',
    permissions: ['*:read', '*:write'],
  },
  admin: { name: 'admin', description: 'Every permission of the protected API (`*`).', permissions: ['*'] },
};

export const isBuiltinRole = (name: string) => Object.hasOwn(BUILTIN_ROLES, name);

export function grants(granted: string, required: string): boolean {
  if (granted === '*') return true;
  const g = granted.split(':');
  const r = required.split(':');
  for (let i = 0; i < g.length; i++) {
    if (g[i] === '*' && i === g.length - 1) return r.length >= g.length;
    if (i >= r.length || (g[i] !== '*' && g[i] !== r[i])) return false;
  }
  return g.length === r.length;
}

export const hasPermission = (granted: readonly string[], required: string) =>
  granted.some((permission) => grants(permission, required));

/** The union of the key's roles' permissions and its own. Unknown roles grant nothing. */
export function effectivePermissions(
  roles: readonly string[],
  own: readonly string[],
  customRoles: ReadonlyMap<string, RoleDef>,
): string[] {
  const all = new Set(own);
  for (const name of roles) {
    const role = BUILTIN_ROLES[name] ?? customRoles.get(name);
    for (const permission of role?.permissions ?? []) all.add(permission);
  }
  return [...all];
}
