// @ts-check
import { crc32 } from 'node:zlib';

/**
 * A Latchkey secret is `lk_<live|test>_<22 base62 key ID>_<43 base62 random><6 base62 CRC32>`,
 * the checksum being the CRC32 of everything before it, written as 6 base62 digits, most
 * significant first. This file reimplements that check on purpose: the rule is a standalone
 * package that users install without the service's code.
 */
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const SECRET_LENGTH = 80;
const CHECKSUM_LENGTH = 6;
const KEY_ID_START = 8;
const KEY_ID_END = 30;

/**
 * Every string of a Latchkey secret's shape. No boundaries on either side: a secret may follow an
 * escape (`\nlk_live_…`, `%3Dlk_live_…`) or be glued to other text, and the checksum, not the
 * surroundings, decides whether a candidate is reported.
 */
const CANDIDATE = /lk_(live|test)_[0-9A-Za-z]{22}_[0-9A-Za-z]{49}/g;
const WHOLE = /^lk_(live|test)_[0-9A-Za-z]{22}_[0-9A-Za-z]{49}$/;

/** @param {string} body */
function checksumOf(body) {
  let n = crc32(body);
  let out = '';
  for (let i = 0; i < CHECKSUM_LENGTH; i++) {
    out = ALPHABET[n % 62] + out;
    n = Math.floor(n / 62);
  }
  return out;
}

/** @param {string} secret */
function checksumVerifies(secret) {
  const cut = SECRET_LENGTH - CHECKSUM_LENGTH;
  return checksumOf(secret.slice(0, cut)) === secret.slice(cut);
}

/**
 * True when `candidate` is, as a whole, a Latchkey secret whose checksum verifies.
 * @param {unknown} candidate
 * @returns {boolean}
 */
export function isLatchkeySecret(candidate) {
  return typeof candidate === 'string' && WHOLE.test(candidate) && checksumVerifies(candidate);
}

/**
 * @typedef {object} LatchkeySecretMatch
 * @property {string} secret the secret as found
 * @property {string} keyId the key ID inside it (`key_…`), which is public and safe to print
 * @property {'live' | 'test'} environment `live` for production keys, `test` for development keys
 * @property {readonly [number, number]} range start and end offsets in the scanned text
 */

/**
 * Every Latchkey secret in `text` whose checksum verifies, in order. Look-alikes of the right
 * shape but a wrong checksum are left out.
 * @param {string} text
 * @returns {LatchkeySecretMatch[]}
 */
export function findLatchkeySecrets(text) {
  /** @type {LatchkeySecretMatch[]} */
  const found = [];
  for (const match of text.matchAll(CANDIDATE)) {
    const secret = match[0];
    if (!checksumVerifies(secret)) continue;
    found.push({
      secret,
      keyId: `key_${secret.slice(KEY_ID_START, KEY_ID_END)}`,
      environment: match[1] === 'live' ? 'live' : 'test',
      range: [match.index, match.index + secret.length],
    });
  }
  return found;
}

/**
 * The key ID is derived inside the message, not passed as data: secretlint masks every data value
 * (`--maskSecrets`, the CLI's default) wherever it appears in the message, so the secret is hidden
 * and the key ID, which operators need to revoke the key, stays readable.
 * @param {{ KEY: string } | undefined} props
 */
const keyIdIn = (props) => `key_${(props?.KEY ?? '').slice(KEY_ID_START, KEY_ID_END)}`;

export const messages = {
  LATCHKEY_LIVE_SECRET: {
    /** @param {{ KEY: string }} [props] */
    en: (props) =>
      `found a Latchkey live secret of ${keyIdIn(props)}; revoke or rotate that key: ${props?.KEY}`,
    /** @param {{ KEY: string }} [props] */
    ja: (props) =>
      `Latchkey の本番用シークレット（${keyIdIn(props)}）が見つかりました。このキーを失効またはローテーションしてください: ${props?.KEY}`,
  },
  LATCHKEY_TEST_SECRET: {
    /** @param {{ KEY: string }} [props] */
    en: (props) =>
      `found a Latchkey test secret of ${keyIdIn(props)}; revoke or rotate that key: ${props?.KEY}`,
    /** @param {{ KEY: string }} [props] */
    ja: (props) =>
      `Latchkey のテスト用シークレット（${keyIdIn(props)}）が見つかりました。このキーを失効またはローテーションしてください: ${props?.KEY}`,
  },
};

/**
 * @typedef {object} Options
 * @property {string[]} [allows] secrets not to report: each entry is a plain string (allowed when
 *   the secret contains it) or a RegExp-like string such as `"/^lk_test_/"` or `"/abc/i"`.
 */

const REGEXP_LIKE = /^\/(.+)\/([dgimsuvy]*)$/s;

/**
 * @param {unknown} allows
 * @returns {((secret: string) => boolean)[]}
 */
function compileAllows(allows) {
  if (allows === undefined) return [];
  if (!Array.isArray(allows) || allows.some((entry) => typeof entry !== 'string'))
    throw new TypeError('secretlint-rule-latchkey: options.allows must be an array of strings');
  return allows.map((entry) => {
    const literal = REGEXP_LIKE.exec(entry);
    if (!literal) return (secret) => secret.includes(entry);
    let pattern;
    try {
      // `g` and `y` would make test() stateful across secrets; they change nothing else here.
      pattern = new RegExp(literal[1] ?? '', (literal[2] ?? '').replace(/[gy]/g, ''));
    } catch (error) {
      throw new TypeError(`secretlint-rule-latchkey: options.allows has an invalid RegExp ${entry}`, {
        cause: error,
      });
    }
    return (secret) => pattern.test(secret);
  });
}

/** @type {import('@secretlint/types').SecretLintRuleCreator<Options>} */
export const creator = {
  messages,
  meta: {
    id: '@latchkey/secretlint-rule-latchkey',
    recommended: true,
    type: 'scanner',
    supportedContentTypes: ['text'],
  },
  create(context, options) {
    const t = context.createTranslator(messages);
    const allowed = compileAllows(options?.allows);
    return {
      file(source) {
        for (const found of findLatchkeySecrets(source.content)) {
          if (allowed.some((isAllowed) => isAllowed(found.secret))) continue;
          context.report({
            message: t(found.environment === 'live' ? 'LATCHKEY_LIVE_SECRET' : 'LATCHKEY_TEST_SECRET', {
              KEY: found.secret,
            }),
            range: found.range,
          });
        }
      },
    };
  },
};
