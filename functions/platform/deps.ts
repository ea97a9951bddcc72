import { KeyService } from '#domain/keys-service.ts';
import { DynamoKeyStore } from '#store/dynamo-keys.ts';
import { DynamoRoleStore } from '#store/dynamo-roles.ts';
import { dynamoDocument } from './aws.ts';
import { intEnv, tableName } from './config.ts';
import { pepperProvider } from './pepper.ts';

/**
 * The composition root: the adapters wired into the domain, built once per process at init so a
 * missing setting fails the cold start, not a request.
 */
let keys: KeyService | undefined;

export function keyStore() {
  return new DynamoKeyStore(
    dynamoDocument(),
    { keys: tableName('keys'), owners: tableName('owners'), audit: tableName('audit') },
    {
      keyRetentionDays: intEnv('LATCHKEY_KEY_RETENTION_DAYS', 30, 1, 3650),
      auditRetentionDays: intEnv('LATCHKEY_AUDIT_RETENTION_DAYS', 400, 1, 3650),
    },
  );
}

export function keyService(): KeyService {
  keys ??= new KeyService({
    store: keyStore(),
    peppers: pepperProvider(),
    roles: new DynamoRoleStore(dynamoDocument(), tableName('roles')),
    now: () => new Date(),
    ownerLimit: intEnv('LATCHKEY_MAX_ACTIVE_KEYS_PER_OWNER', 100, 1, 1_000_000),
  });
  return keys;
}
