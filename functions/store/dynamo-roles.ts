import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type { RoleLookup } from '#domain/keys-service.ts';
import { isBuiltinRole, type RoleDef } from '#domain/permissions.ts';

/** Custom roles, keyed by name. Built-in roles are not stored: they always exist. */
export class DynamoRoleStore implements RoleLookup {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async missingRoles(names: readonly string[]): Promise<string[]> {
    const found = await this.getRoles(names);
    return [...new Set(names)].filter((name) => !isBuiltinRole(name) && !found.has(name));
  }

  /** The custom roles among `names` that exist (built-ins are not stored). */
  async getRoles(names: readonly string[]): Promise<Map<string, RoleDef>> {
    const found = new Map<string, RoleDef>();
    let keys: Record<string, unknown>[] | undefined = [
      ...new Set(names.filter((n) => !isBuiltinRole(n))),
    ].map((name) => ({ name }));
    while (keys?.length) {
      const out: BatchGetCommandOutput = await this.doc.send(
        new BatchGetCommand({ RequestItems: { [this.table]: { Keys: keys, ConsistentRead: true } } }),
      );
      for (const item of out.Responses?.[this.table] ?? []) {
        found.set(String(item.name), {
          name: String(item.name),
          description: String(item.description ?? ''),
          permissions: (item.permissions as string[] | undefined) ?? [],
        });
      }
      keys = out.UnprocessedKeys?.[this.table]?.Keys;
    }
    return found;
  }
}
