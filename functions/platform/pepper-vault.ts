import { randomUUID } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { GetSecretValueCommand, PutSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import type { PepperVault } from '#domain/ports.ts';
import { secretsClient } from './aws.ts';
import { requireEnv } from './config.ts';
import { peppersChanged } from './pepper.ts';

/** The local pepper file: replaced whole (a 0600 temporary file renamed over it), never half-written. */
export class FilePepperVault implements PepperVault {
  constructor(private readonly file: string) {}

  read(): Promise<string> {
    return readFile(this.file, 'utf8');
  }

  async write(raw: string): Promise<void> {
    const temporary = `${this.file}.${randomUUID()}.tmp`;
    await writeFile(temporary, raw, { mode: 0o600 });
    await rename(temporary, this.file);
    peppersChanged();
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

  async write(raw: string): Promise<void> {
    await secretsClient().send(
      new PutSecretValueCommand({
        SecretId: this.secretId,
        SecretString: raw,
        ClientRequestToken: randomUUID(),
      }),
    );
    peppersChanged();
  }
}

export function pepperVault(): PepperVault {
  const file = process.env.LATCHKEY_PEPPER_FILE;
  return file
    ? new FilePepperVault(file)
    : new SecretsManagerPepperVault(requireEnv('LATCHKEY_PEPPER_SECRET_ARN'));
}
