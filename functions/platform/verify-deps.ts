import type { VerifyDeps } from '#domain/verify.ts';
import { DynamoRoleStore } from '#store/dynamo-roles.ts';
import { readKey } from '#store/read-key.ts';
import { dynamoDocument } from './aws.ts';
import { intEnv, tableName } from './config.ts';
import { pepperProvider } from './pepper.ts';
import { roleCache } from './role-cache.ts';

/**
 * What a check needs: the one read by key ID, the pepper, the clock, and custom roles through a
 * per-instance cache (LATCHKEY_ROLE_CACHE_SECONDS, default 30: the bound on how long a role
 * change takes to reach a check).
 */
export function verifyDeps(): VerifyDeps {
  const doc = dynamoDocument();
  const keysTable = tableName('keys');
  const roles = new DynamoRoleStore(doc, tableName('roles'));
  return {
    getKey: (keyId) => readKey(doc, keysTable, keyId),
    peppers: pepperProvider(),
    now: () => new Date(),
    customRoles: roleCache(
      (names) => roles.getRoles(names),
      intEnv('LATCHKEY_ROLE_CACHE_SECONDS', 30, 0, 3600) * 1000,
    ),
  };
}
