import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { isBuiltinRole, type RoleDef } from '#domain/roles/permissions.ts';

/** The custom roles among `names` that exist (built-ins are not stored). Used by checks and the role store. */
export async function readRoles(
  doc: DynamoDBDocumentClient,
  table: string,
  names: readonly string[],
): Promise<Map<string, RoleDef>> {
  const found = new Map<string, RoleDef>();
  let keys: Record<string, unknown>[] | undefined = [...new Set(names.filter((n) => !isBuiltinRole(n)))].map(
    (name) => ({ name }),
  );
  while (keys?.length) {
    const out: BatchGetCommandOutput = await doc.send(
      new BatchGetCommand({ RequestItems: { [table]: { Keys: keys, ConsistentRead: true } } }),
    );
    for (const item of out.Responses?.[table] ?? []) {
      const name = String(item.name);
      found.set(name, {
        name,
        description: String(item.description ?? ''),
        permissions: (item.permissions as string[] | undefined) ?? [],
      });
    }
    keys = out.UnprocessedKeys?.[table]?.Keys;
  }
  return found;
}
