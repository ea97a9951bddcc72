import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type { RoleLookup } from '#domain/keys-service.ts';
import { isBuiltinRole } from '#domain/permissions.ts';

/** Custom roles, keyed by name. Built-in roles are not stored: they always exist. */
export class DynamoRoleStore implements RoleLookup {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async missingRoles(names: readonly string[]): Promise<string[]> {
    const custom = [...new Set(names.filter((name) => !isBuiltinRole(name)))];
    if (custom.length === 0) return [];
    const found = new Set<string>();
    let keys: Record<string, unknown>[] | undefined = custom.map((name) => ({ name }));
    while (keys?.length) {
      const out: BatchGetCommandOutput = await this.doc.send(
        new BatchGetCommand({
          RequestItems: {
            [this.table]: {
              Keys: keys,
              ConsistentRead: true,
              ProjectionExpression: '#n',
              ExpressionAttributeNames: { '#n': 'name' },
            },
          },
        }),
      );
      for (const item of out.Responses?.[this.table] ?? []) found.add(String(item.name));
      keys = out.UnprocessedKeys?.[this.table]?.Keys;
    }
    return custom.filter((name) => !found.has(name));
  }
}
