import { readFile } from 'node:fs/promises';
import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { required, settings } from '#config/settings.ts';
import { type PepperSet, parsePepperSet } from '#domain/keys/secret-hash.ts';
import { secretsClient } from './clients.ts';

/** At most one forced refetch per this long, whatever checks ask for an unknown version. */
const REFRESH_MIN_MS = 1000;

let generation = 0;
/** Told by this process's pepper writer (local rotate/retire): every provider reads afresh. */
export const peppersChanged = () => {
  generation++;
};

/**
 * Where the pepper comes from. In Lambda: Secrets Manager (LATCHKEY_PEPPER_SECRET_ARN) through
 * Powertools parameters, cached for LATCHKEY_PEPPER_MAX_AGE_SECONDS (default 300). Locally: a
 * 0600 file in the data folder, read again when this process rotates or retires a version.
 *
 * A check of a key hashed under a version the cached set lacks (a pepper added since the cache
 * was filled) asks with `needVersion`: the set is fetched again at once (at most once a second),
 * so a new version reaches every check without waiting for the cache to age.
 */
export function pepperProvider(): (needVersion?: string) => Promise<PepperSet> {
  const file = settings().LATCHKEY_PEPPER_FILE;
  let lastForced = 0;
  const mayForce = (set: PepperSet | undefined, needVersion: string | undefined) => {
    if (!needVersion || !set || set.byVersion.has(needVersion)) return false;
    if (Date.now() - lastForced < REFRESH_MIN_MS) return false;
    lastForced = Date.now();
    return true;
  };
  if (file) {
    type Entry = { generation: number; set: Promise<PepperSet>; value?: PepperSet };
    let cached: Entry | undefined;
    return (needVersion) => {
      if (cached && (cached.generation !== generation || mayForce(cached.value, needVersion)))
        cached = undefined;
      if (!cached) {
        const entry: Entry = {
          generation,
          // A failed read is not cached: the next check tries again.
          set: readFile(file, 'utf8')
            .then(parsePepperSet)
            .then((set) => {
              entry.value = set;
              return set;
            })
            .catch((error: unknown) => {
              if (cached === entry) cached = undefined;
              throw error;
            }),
        };
        cached = entry;
      }
      return cached.set;
    };
  }
  const secretId = required('LATCHKEY_PEPPER_SECRET_ARN');
  const maxAge = settings().LATCHKEY_PEPPER_MAX_AGE_SECONDS;
  // Through the process's bounded client, so a slow Secrets Manager fails the check in time.
  const provider = new SecretsProvider({ awsSdkV3Client: secretsClient() });
  let last: { raw: string; parsed: PepperSet } | undefined;
  return async (needVersion) => {
    const forceFetch = mayForce(last?.parsed, needVersion);
    const raw = await provider.get(secretId, { maxAge, forceFetch });
    if (typeof raw !== 'string') throw new Error('pepper: the secret has no string value');
    if (last?.raw !== raw) last = { raw, parsed: parsePepperSet(raw) };
    return last.parsed;
  };
}
