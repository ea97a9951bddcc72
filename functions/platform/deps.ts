import type { ImportDeps } from '#domain/import-keys.ts';
import { KeyService } from '#domain/keys-service.ts';
import { PepperService } from '#domain/pepper-rotation.ts';
import { RoleService } from '#domain/roles-service.ts';
import { RotationSweep } from '#domain/sweep.ts';
import { DynamoAuditStore } from '#store/dynamo-audit.ts';
import { DynamoKeyStore } from '#store/dynamo-keys.ts';
import { DynamoPepperUsageStore } from '#store/dynamo-pepper.ts';
import { DynamoRoleStore } from '#store/dynamo-roles.ts';
import { DynamoUsageStore } from '#store/dynamo-usage.ts';
import { dynamoDocument } from './aws.ts';
import { intEnv, tableName } from './config.ts';
import { eventPublisher } from './events.ts';
import { logger } from './logger.ts';
import { pepperProvider } from './pepper.ts';
import { pepperVault } from './pepper-vault.ts';

/**
 * The composition root: the adapters wired into the domain, built once per process at init so a
 * missing setting fails the cold start, not a request.
 */
let keys: KeyService | undefined;

export function keyStore() {
  return new DynamoKeyStore(
    dynamoDocument(),
    {
      keys: tableName('keys'),
      owners: tableName('owners'),
      audit: tableName('audit'),
      roles: tableName('roles'),
    },
    {
      keyRetentionDays: intEnv('LATCHKEY_KEY_RETENTION_DAYS', 30, 1, 3650),
      auditRetentionDays: auditRetentionDays(),
    },
  );
}

export function keyService(): KeyService {
  keys ??= new KeyService({
    store: keyStore(),
    peppers: pepperProvider(),
    roles: roleStore(),
    now: () => new Date(),
    ownerLimit: intEnv('LATCHKEY_MAX_ACTIVE_KEYS_PER_OWNER', 100, 1, 1_000_000),
    events: eventPublisher(),
    onEventError: (error) => logger.error('event not published', { errorName: (error as Error)?.name }),
  });
  return keys;
}

/** POST /v1/keys/import: what a create needs, and LATCHKEY_IMPORT_ROTATION_DAYS (default 0: due at once). */
export const importDeps = (): ImportDeps => ({
  store: keyStore(),
  peppers: pepperProvider(),
  roles: roleStore(),
  now: () => new Date(),
  ownerLimit: intEnv('LATCHKEY_MAX_ACTIVE_KEYS_PER_OWNER', 100, 1, 1_000_000),
  events: eventPublisher(),
  onEventError: (error) => logger.error('event not published', { errorName: (error as Error)?.name }),
  importRotationDays: intEnv('LATCHKEY_IMPORT_ROTATION_DAYS', 0, 0, 3650),
});

const auditRetentionDays = () => intEnv('LATCHKEY_AUDIT_RETENTION_DAYS', 400, 1, 3650);

export function roleStore() {
  return new DynamoRoleStore(
    dynamoDocument(),
    { roles: tableName('roles'), audit: tableName('audit') },
    auditRetentionDays(),
  );
}

export const roleService = () => new RoleService(roleStore(), () => new Date());

export const auditStore = () => new DynamoAuditStore(dynamoDocument(), tableName('audit'));

export const usageStore = () =>
  new DynamoUsageStore(dynamoDocument(), { usage: tableName('usage'), keys: tableName('keys') });

export const rotationSweep = () =>
  new RotationSweep({
    store: keyStore(),
    events: eventPublisher(),
    now: () => new Date(),
    reminderIntervalDays: intEnv('LATCHKEY_REMINDER_INTERVAL_DAYS', 7, 1, 365),
    expiringSoonDays: intEnv('LATCHKEY_EXPIRING_SOON_DAYS', 7, 0, 365),
    onError: (error) =>
      logger.error('sweep: event not published; undone for the next run', {
        errorName: (error as Error)?.name,
      }),
  });

/** Pepper rotation, retirement and per-version counts (LATCHKEY_PEPPER_RETIRE_GRACE_SECONDS: see pepper-rotation.ts). */
export const pepperService = () =>
  new PepperService({
    vault: pepperVault(),
    store: new DynamoPepperUsageStore(
      dynamoDocument(),
      { keys: tableName('keys'), owners: tableName('owners'), audit: tableName('audit') },
      auditRetentionDays(),
    ),
    now: () => new Date(),
    // Locally this process is the only pepper reader and is told of changes at once.
    retireGraceSeconds: intEnv(
      'LATCHKEY_PEPPER_RETIRE_GRACE_SECONDS',
      process.env.LATCHKEY_PEPPER_FILE ? 0 : intEnv('LATCHKEY_PEPPER_MAX_AGE_SECONDS', 300, 1, 3600),
      0,
      86_400,
    ),
  });
