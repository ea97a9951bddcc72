import { createHash, randomUUID } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { GetSecretValueCommand, PutSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { required, settings } from '#config/settings.ts';
import { PepperChangedError, type PepperVault } from '#domain/shared/ports.ts';
import { secretsClient } from './clients.ts';
import { peppersChanged } from './pepper-provider.ts';

/**
 * The local pepper file: replaced whole (a 0600 temporary file renamed over it), never
 * half-written. The one server process owns it: changes are queued one at a time, and each
 * checks that the file is still what it was made from, so the queue is a compare-and-swap.
 */
export class FilePepperVault implements PepperVault {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly file: string) {}

  read(): Promise<string> {
    return readFile(this.file, 'utf8');
  }

  write(raw: string, expected: string): Promise<void> {
    const change = this.queue.then(async () => {
      if ((await this.read()) !== expected) throw new PepperChangedError();
      const temporary = `${this.file}.${randomUUID()}.tmp`;
      await writeFile(temporary, raw, { mode: 0o600 });
      await rename(temporary, this.file);
      peppersChanged();
    });
    this.queue = change.catch(() => undefined);
    return change;
  }
}

/**
 * The pepper secret in Secrets Manager: a new secret version (AWSCURRENT) per change. Other
 * instances pick it up within their cache's max age, or at once for a key hashed under a version
 * they have not seen (pepper.ts).
 */
export class SecretsManagerPepperVault implements PepperVault {
  constructor(private readonly secretId: string) {}

  async read(): Promise<string> {
    const out = await secretsClient().send(new GetSecretValueCommand({ SecretId: this.secretId }));
    if (typeof out.SecretString !== 'string') throw new Error('pepper: the secret has no string value');
    return out.SecretString;
  }

  /**
   * The new version's token is derived from the version the change was read from, so of two
   * changes made from one version only the first can create it: Secrets Manager refuses the
   * second (ResourceExistsException, another value under that token). A version that became
   * current since the read (the rotation schedule's) is caught by reading again first.
   */
  async write(raw: string, expected: string): Promise<void> {
    const current = await secretsClient().send(new GetSecretValueCommand({ SecretId: this.secretId }));
    if (current.SecretString !== expected) throw new PepperChangedError();
    const token = createHash('sha256').update(`latchkey-pepper-after:${current.VersionId}`).digest('hex');
    try {
      await secretsClient().send(
        new PutSecretValueCommand({
          SecretId: this.secretId,
          SecretString: raw,
          ClientRequestToken: `${token.slice(0, 8)}-${token.slice(8, 12)}-${token.slice(12, 16)}-${token.slice(16, 20)}-${token.slice(20, 32)}`,
        }),
      );
    } catch (error) {
      if ((error as Error).name === 'ResourceExistsException') throw new PepperChangedError();
      throw error;
    }
    peppersChanged();
  }
}

export function pepperVault(): PepperVault {
  const file = settings().LATCHKEY_PEPPER_FILE;
  return file
    ? new FilePepperVault(file)
    : new SecretsManagerPepperVault(required('LATCHKEY_PEPPER_SECRET_ARN'));
}
