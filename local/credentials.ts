import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { newDynamoAccessKeyId, StartupError } from './dynamodb-local.ts';

/** Shorter admin tokens are refused at start: the token is the whole of local access control. */
export const MIN_ADMIN_TOKEN_LENGTH = 32;

/**
 * The local secrets: the pepper, the admin token and the access key ID of DynamoDB Local's
 * database, created on first start, kept in the data folder with mode 0600, reused after.
 * LATCHKEY_ADMIN_TOKEN, when set, is used instead of the stored token.
 */
async function readOrCreate(
  path: string,
  create: () => string,
): Promise<{ value: string; created: boolean }> {
  try {
    return { value: (await readFile(path, 'utf8')).trim(), created: false };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    const value = create();
    await writeFile(path, `${value}\n`, { mode: 0o600, flag: 'wx' });
    await chmod(path, 0o600);
    return { value, created: true };
  }
}

export async function localCredentials(dataDir: string, adminTokenOverride: string | undefined) {
  if (adminTokenOverride !== undefined && adminTokenOverride.length < MIN_ADMIN_TOKEN_LENGTH) {
    throw new StartupError(
      `LATCHKEY_ADMIN_TOKEN must be at least ${MIN_ADMIN_TOKEN_LENGTH} characters ` +
        `(it has ${adminTokenOverride.length}); unset it to have one generated`,
    );
  }
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const dynamo = await readOrCreate(join(dataDir, 'dynamodb-access-key'), newDynamoAccessKeyId);
  const pepperFile = join(dataDir, 'pepper.json');
  await readOrCreate(pepperFile, () =>
    JSON.stringify({ version: '1', pepper: randomBytes(32).toString('base64url') }),
  );
  const token = adminTokenOverride
    ? { value: adminTokenOverride, created: false }
    : await readOrCreate(
        join(dataDir, 'admin-token'),
        () => `lk_admin_${randomBytes(32).toString('base64url')}`,
      );
  return {
    pepperFile,
    adminToken: token.value,
    tokenCreated: token.created,
    dynamoAccessKeyId: dynamo.value,
  };
}

/** Constant-time check of a presented bearer token. */
export function tokenMatches(presented: string | undefined, expected: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return presented !== undefined && timingSafeEqual(digest(presented), digest(expected));
}
