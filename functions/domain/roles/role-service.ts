import { z } from 'zod';
import { auditEntry } from '#domain/audit/audit-entry.ts';
import { timestamp } from '#domain/shared/answers.ts';
import { ApiError, notFound } from '#domain/shared/errors.ts';
import type { RoleStore, StoredRole } from '#domain/shared/ports.ts';
import { RoleInUseError, VersionConflictError } from '#domain/shared/ports.ts';
import type { RequestContext } from '#domain/shared/request-context.ts';
import type { RoleInput } from '#domain/shared/schemas.ts';
import { BUILTIN_ROLES, isBuiltinRole } from './permissions.ts';

/** A role as answers show it: a built-in one (fixed) or a custom one, with its bookkeeping. */
export const roleSchema = z
  .object({
    name: z.string(),
    description: z.string(),
    permissions: z.array(z.string()),
    builtin: z.boolean(),
    keyCount: z.number().int().optional().meta({ description: 'Live keys that name this custom role.' }),
    createdAt: timestamp.optional(),
    updatedAt: timestamp.optional(),
    version: z
      .number()
      .int()
      .optional()
      .meta({ description: "A custom role's version: sent as `ETag`, given back in `If-Match`." }),
  })
  .meta({
    id: 'Role',
    example: {
      name: 'billing-reader',
      description: 'Reads invoices',
      permissions: ['invoices:read'],
      builtin: false,
      keyCount: 0,
      createdAt: '2025-01-15T09:30:00.000Z',
      updatedAt: '2025-01-15T09:30:00.000Z',
      version: 1,
    },
  });
export type RoleView = z.output<typeof roleSchema>;
export const roleListSchema = z.object({ items: z.array(roleSchema) }).meta({ id: 'RoleList' });

const builtinView = (name: string): RoleView => {
  const role = BUILTIN_ROLES[name] as (typeof BUILTIN_ROLES)[string];
  return { name, description: role.description, permissions: [...role.permissions], builtin: true };
};
const customView = (role: StoredRole): RoleView => ({ ...role, builtin: false });

/** Roles: the built-ins (fixed) and custom roles (name, description, permissions). */
export class RoleService {
  constructor(
    private readonly store: RoleStore,
    private readonly now: () => Date,
  ) {}

  async list(): Promise<RoleView[]> {
    return [
      ...Object.keys(BUILTIN_ROLES).map(builtinView),
      ...(await this.store.listRoles()).map(customView),
    ];
  }

  async get(name: string): Promise<RoleView> {
    if (isBuiltinRole(name)) return builtinView(name);
    const role = await this.store.getRole(name);
    if (!role) throw notFound(`role ${name}`);
    return customView(role);
  }

  async create(name: string, input: RoleInput, ctx: RequestContext): Promise<RoleView> {
    if (isBuiltinRole(name)) throw new ApiError('CONFLICT', `"${name}" is a built-in role`);
    const at = this.now().toISOString();
    const role: StoredRole = { name, ...input, keyCount: 0, createdAt: at, updatedAt: at, version: 1 };
    try {
      await this.store.createRole(
        role,
        auditEntry(
          ctx,
          at,
          'role.created',
          { role: name },
          {
            permissions: { before: null, after: input.permissions },
            description: { before: null, after: input.description },
          },
        ),
      );
    } catch (error) {
      if (error instanceof VersionConflictError)
        throw new ApiError('CONFLICT', `role "${name}" already exists`);
      throw error;
    }
    return customView(role);
  }

  async update(
    name: string,
    input: RoleInput,
    ifMatch: number | undefined,
    ctx: RequestContext,
  ): Promise<RoleView> {
    if (isBuiltinRole(name)) throw new ApiError('CONFLICT', `"${name}" is a built-in role and cannot change`);
    const current = await this.store.getRole(name);
    if (!current) throw notFound(`role ${name}`);
    if (ifMatch !== undefined && ifMatch !== current.version) {
      throw new ApiError(
        'PRECONDITION_FAILED',
        `If-Match does not match the role's current version ${current.version}`,
      );
    }
    const at = this.now().toISOString();
    const next: StoredRole = { ...current, ...input, updatedAt: at, version: current.version + 1 };
    const changes: Record<string, { before: unknown; after: unknown }> = {};
    if (JSON.stringify(current.permissions) !== JSON.stringify(next.permissions)) {
      changes.permissions = { before: current.permissions, after: next.permissions };
    }
    if (current.description !== next.description)
      changes.description = { before: current.description, after: next.description };
    if (Object.keys(changes).length === 0) return customView(current);
    try {
      await this.store.updateRole(
        next,
        current.version,
        auditEntry(ctx, at, 'role.updated', { role: name }, changes),
      );
    } catch (error) {
      if (error instanceof VersionConflictError) {
        throw new ApiError(
          'PRECONDITION_FAILED',
          'the role was changed by another request; fetch it and retry',
        );
      }
      throw error;
    }
    return customView(next);
  }

  async delete(name: string, ctx: RequestContext): Promise<void> {
    if (isBuiltinRole(name))
      throw new ApiError('CONFLICT', `"${name}" is a built-in role and cannot be deleted`);
    const at = this.now().toISOString();
    try {
      await this.store.deleteRole(name, auditEntry(ctx, at, 'role.deleted', { role: name }, {}));
    } catch (error) {
      if (error instanceof RoleInUseError) {
        throw new ApiError(
          'ROLE_IN_USE',
          `role "${name}" is used by ${error.keyCount} ${error.keyCount === 1 ? 'key' : 'keys'}; remove it from them first`,
        );
      }
      if (error instanceof VersionConflictError) throw notFound(`role ${name}`);
      throw error;
    }
  }
}
