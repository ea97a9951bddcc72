import { readFile } from 'node:fs/promises';
import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { type PepperSet, parsePepperSet } from '#domain/hash.ts';
import { secretsClient } from './aws.ts';
import { intEnv, requireEnv } from './config.ts';

/**
 * Where the pepper comes from. In Lambda: Secrets Manager (LATCHKEY_PEPPER_SECRET_ARN) through
 * Powertools parameters, cached for LATCHKEY_PEPPER_MAX_AGE_SECONDS (default 300) so a rotated
 * pepper reaches every instance within that bound. Locally: a 0600 file in the data folder.
 */
export function pepperProvider(): () => Promise<PepperSet> {
  const file = process.env.LATCHKEY_PEPPER_FILE;
  if (file) {
    let cached: Promise<PepperSet> | undefined;
    return () => {
      // A failed read is not cached: the next check tries again.
      cached ??= readFile(file, 'utf8')
        .then(parsePepperSet)
        .catch((error: unknown) => {
          cached = undefined;
          throw error;
        });
      return cached;
    };
  }
  const secretId = requireEnv('LATCHKEY_PEPPER_SECRET_ARN');
  const maxAge = intEnv('LATCHKEY_PEPPER_MAX_AGE_SECONDS', 300, 1, 3600);
  // Through the process's bounded client, so a slow Secrets Manager fails the check in time.
  const provider = new SecretsProvider({ awsSdkV3Client: secretsClient() });
  let last: { raw: string; parsed: PepperSet } | undefined;
  return async () => {
    const raw = await provider.get(secretId, { maxAge });
    if (typeof raw !== 'string') throw new Error('pepper: the secret has no string value');
    if (last?.raw !== raw) last = { raw, parsed: parsePepperSet(raw) };
    return last.parsed;
  };
}
