import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { settings } from '#config/settings.ts';
import type { KeyRecord } from '#domain/keys/key.ts';
import { secretsClient } from '#platform/aws/clients.ts';

/**
 * The authorizer's part of the usage plans, kept apart from usage-plans.ts so that its bundle
 * carries no schema library: LATCHKEY_USAGE_PLANS is written by the construct, and checked here
 * only for what the authorizer reads.
 */
interface AuthorizerUsagePlans {
  readonly mode: 'shared' | 'perKey';
  readonly plans: Readonly<Record<string, { readonly valueSecretArn?: string }>>;
}

function authorizerUsagePlans(): AuthorizerUsagePlans | null {
  const raw = settings().LATCHKEY_USAGE_PLANS;
  if (!raw) return null;
  const parsed = JSON.parse(raw) as Partial<AuthorizerUsagePlans>;
  if (
    (parsed.mode !== 'shared' && parsed.mode !== 'perKey') ||
    typeof parsed.plans !== 'object' ||
    !parsed.plans
  ) {
    throw new Error('configuration: LATCHKEY_USAGE_PLANS needs "mode" (shared or perKey) and "plans"');
  }
  return parsed as AuthorizerUsagePlans;
}

/** The `usageIdentifierKey` the authorizer returns for a key: undefined for none; `null` when the key must wait. */
export type UsageIdentifier = (key: KeyRecord) => Promise<string | undefined | null>;

/**
 * How the authorizer learns a key's `usageIdentifierKey`.
 * - no usage plans (local mode): the key's own `usageIdentifierKey`, if it has one;
 * - `perKey`: the value the management functions stored on the key with the API key they made
 *   for its plan; a key with a plan and no such API key yet is `null` (refused until the sweep
 *   finishes it: never a key that works without its limit);
 * - `shared`: the plan's one API key, read from Secrets Manager through Powertools parameters,
 *   cached for `LATCHKEY_USAGE_KEY_MAX_AGE_SECONDS` (default 300). A key whose plan is not
 *   deployed is `null`.
 */
export function usageIdentifier(config = authorizerUsagePlans()): UsageIdentifier {
  if (!config) return async (key) => key.usageIdentifierKey;
  if (config.mode === 'perKey') {
    // Only an API key the management functions made counts (during a plan change, the previous
    // plan's, until the new one is attached: a limit all along); a value set by hand waits.
    return async (key) => {
      if (key.plan === undefined) return key.usageIdentifierKey;
      return key.usageKeyId ? (key.usageIdentifierKey ?? null) : null;
    };
  }
  const provider = new SecretsProvider({ awsSdkV3Client: secretsClient() });
  const maxAge = settings().LATCHKEY_USAGE_KEY_MAX_AGE_SECONDS;
  return async (key) => {
    if (key.plan === undefined) return key.usageIdentifierKey;
    const secretId = config.plans[key.plan]?.valueSecretArn;
    if (!secretId) return null;
    const value = await provider.get(secretId, { maxAge });
    if (typeof value !== 'string' || value === '') throw new Error('usage plan key: the secret has no value');
    return value;
  };
}
