import {
  type DynamoDBDocumentClient,
  GetCommand,
  ScanCommand,
  type ScanCommandOutput,
} from '@aws-sdk/lib-dynamodb';
import { isBuiltinRole, type RoleDef } from '#domain/roles/permissions.ts';
import {
  type AuditEntry,
  RoleInUseError,
  type RoleLookup,
  type RoleStore,
  type StoredRole,
  VersionConflictError,
} from '#domain/shared/ports.ts';
import { auditPut } from './dynamo-audit.ts';
import { readRoles } from './read-roles.ts';
import { ConditionFailed, runTransaction } from './transaction.ts';

export interface RoleTables {
  readonly roles: string;
  readonly audit: string;
}

/** Custom roles, keyed by name. Built-in roles are not stored: they always exist. */
export class DynamoRoleStore implements RoleStore, RoleLookup {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tables: RoleTables,
    private readonly auditRetentionDays = 400,
  ) {}

  async missingRoles(names: readonly string[]): Promise<string[]> {
    const found = await this.getRoles(names);
    return [...new Set(names)].filter((name) => !isBuiltinRole(name) && !found.has(name));
  }

  getRoles(names: readonly string[]): Promise<Map<string, RoleDef>> {
    return readRoles(this.doc, this.tables.roles, names);
  }

  async getRole(name: string): Promise<StoredRole | undefined> {
    const out = await this.doc.send(
      new GetCommand({ TableName: this.tables.roles, Key: { name }, ConsistentRead: true }),
    );
    return out.Item ? toRole(out.Item) : undefined;
  }

  /** Every custom role. The table holds one small item per role, so a paginated scan reads just those. */
  async listRoles(): Promise<StoredRole[]> {
    const roles: StoredRole[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out: ScanCommandOutput = await this.doc.send(
        new ScanCommand({ TableName: this.tables.roles, ExclusiveStartKey: start, ConsistentRead: true }),
      );
      roles.push(...(out.Items ?? []).map(toRole));
      start = out.LastEvaluatedKey;
    } while (start);
    return roles.sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Creates the role; VersionConflictError when one of that name exists. */
  async createRole(role: StoredRole, audit: AuditEntry): Promise<void> {
    await this.write(role.name, [
      {
        Put: {
          TableName: this.tables.roles,
          Item: role,
          ConditionExpression: 'attribute_not_exists(#name)',
          ExpressionAttributeNames: { '#name': 'name' },
        },
      },
      auditPut(this.tables.audit, audit, this.auditRetentionDays),
    ]);
  }

  /** Replaces description and permissions if the stored version is still `expectedVersion`. */
  async updateRole(role: StoredRole, expectedVersion: number, audit: AuditEntry): Promise<void> {
    await this.write(role.name, [
      {
        Update: {
          TableName: this.tables.roles,
          Key: { name: role.name },
          UpdateExpression: 'SET description = :d, #permissions = :p, updatedAt = :u, version = :v',
          ConditionExpression: 'version = :expected',
          ExpressionAttributeNames: { '#permissions': 'permissions' },
          ExpressionAttributeValues: {
            ':d': role.description,
            ':p': role.permissions,
            ':u': role.updatedAt,
            ':v': role.version,
            ':expected': expectedVersion,
          },
        },
      },
      auditPut(this.tables.audit, audit, this.auditRetentionDays),
    ]);
  }

  /** Deletes the role only while no live key uses it; RoleInUseError with the count otherwise. */
  async deleteRole(name: string, audit: AuditEntry): Promise<void> {
    try {
      await this.write(name, [
        {
          Delete: {
            TableName: this.tables.roles,
            Key: { name },
            ConditionExpression:
              'attribute_exists(#name) AND (attribute_not_exists(keyCount) OR keyCount <= :zero)',
            ExpressionAttributeNames: { '#name': 'name' },
            ExpressionAttributeValues: { ':zero': 0 },
          },
        },
        auditPut(this.tables.audit, audit, this.auditRetentionDays),
      ]);
    } catch (error) {
      if (!(error instanceof VersionConflictError)) throw error;
      const current = await this.getRole(name);
      if (current && current.keyCount > 0) throw new RoleInUseError(name, current.keyCount);
      throw error;
    }
  }

  private async write(name: string, items: Parameters<typeof runTransaction>[1]) {
    try {
      await runTransaction(this.doc, items);
    } catch (error) {
      if (error instanceof ConditionFailed && error.index === 0) throw new VersionConflictError(name);
      throw error;
    }
  }
}

function toRole(item: Record<string, unknown>): StoredRole {
  return {
    name: String(item.name),
    description: String(item.description ?? ''),
    permissions: (item.permissions as string[] | undefined) ?? [],
    keyCount: Number(item.keyCount ?? 0),
    createdAt: String(item.createdAt ?? ''),
    updatedAt: String(item.updatedAt ?? ''),
    version: Number(item.version ?? 1),
  };
}
