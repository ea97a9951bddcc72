import type { SecretLintRuleCreator } from '@secretlint/types';

/** Options of the rule, set in `.secretlintrc.json` under the rule's `options`. */
export type Options = {
  /**
   * Secrets not to report: a plain string (allowed when the secret contains it) or a RegExp-like
   * string such as `"/^lk_test_/"`.
   * @default []
   */
  allows?: string[];
};

/** A Latchkey secret found in a text. */
export type LatchkeySecretMatch = {
  /** The secret as found. */
  secret: string;
  /** The key ID inside it (`key_…`): public, safe to print. */
  keyId: string;
  /** `live` for production keys, `test` for development keys. */
  environment: 'live' | 'test';
  /** Start and end offsets in the scanned text. */
  range: readonly [number, number];
};

/** True when `candidate` is, as a whole, a Latchkey secret whose checksum verifies. */
export declare function isLatchkeySecret(candidate: unknown): boolean;

/** Every Latchkey secret in `text` whose checksum verifies, in order; look-alikes are left out. */
export declare function findLatchkeySecrets(text: string): LatchkeySecretMatch[];

type Message = { en: (props?: { KEY: string }) => string; ja: (props?: { KEY: string }) => string };

export declare const messages: {
  LATCHKEY_LIVE_SECRET: Message;
  LATCHKEY_TEST_SECRET: Message;
};

/** The secretlint rule: `{ "id": "@latchkey/secretlint-rule-latchkey" }`. */
export declare const creator: SecretLintRuleCreator<Options>;
