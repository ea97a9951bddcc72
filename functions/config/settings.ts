import * as z from 'zod/mini';
import { type TableId, tableEnvVar } from '../store/tables.ts';
import { KEY_CACHE_LIMITS } from './key-cache.ts';

/**
 * Every setting of the service, in one place: its name (the environment variable), its type and
 * bounds, its default, who sets it, and what it means. Functions read their settings only through
 * `settings()`; the local server gives them with `configure()`; the CDK construct names them as
 * `SettingName`s. Nothing else reads `process.env`. What each one means is in settings-docs.ts,
 * from which the README's settings tables are made (test/unit/settings.test.ts holds them equal).
 *
 * `zod/mini`: the same validator as the API's schemas, in its tree-shakable form, because the
 * authorizer reads its settings here too and its bundle is held to a budget.
 */

/** Who gives a setting its value: you (locally, or as a construct prop), the construct, or the local server. */
export type SetBy = 'you' | 'construct' | 'local server';

/** A setting: its schema (type, bounds, default) and who gives it its value. */
const set = <S extends z.core.$ZodType>(schema: S, setBy: SetBy) => ({ schema, setBy });

const int = (fallback: number, min: number, max: number) =>
  z._default(z.coerce.number().check(z.int(), z.minimum(min), z.maximum(max)), fallback);
const optionalInt = (min: number, max: number) =>
  z.optional(z.coerce.number().check(z.int(), z.minimum(min), z.maximum(max)));
const text = () => z.optional(z.string().check(z.minLength(1)));

export const SETTINGS = {
  LATCHKEY_KEYS_TABLE: set(text(), 'construct'),
  LATCHKEY_OWNERS_TABLE: set(text(), 'construct'),
  LATCHKEY_AUDIT_TABLE: set(text(), 'construct'),
  LATCHKEY_USAGE_TABLE: set(text(), 'construct'),
  LATCHKEY_ROLES_TABLE: set(text(), 'construct'),
  LATCHKEY_IDEMPOTENCY_TABLE: set(text(), 'construct'),
  LATCHKEY_EVENTS_TABLE: set(text(), 'local server'),
  LATCHKEY_SESSIONS_TABLE: set(text(), 'construct'),
  LATCHKEY_PEPPER_SECRET_ARN: set(text(), 'construct'),
  LATCHKEY_PEPPER_FILE: set(text(), 'local server'),
  LATCHKEY_EVENT_BUS_NAME: set(z._default(z.string(), 'default'), 'construct'),
  LATCHKEY_DYNAMODB_ENDPOINT: set(text(), 'you'),
  LATCHKEY_DYNAMODB_ACCESS_KEY_ID: set(z._default(z.string(), 'local'), 'local server'),
  PORT: set(int(8787, 0, 65_535), 'you'),
  LATCHKEY_DATA_DIR: set(z._default(z.string().check(z.minLength(1)), '.latchkey'), 'you'),
  LATCHKEY_MEMORY: set(z.optional(z.enum(['0', '1'])), 'you'),
  LATCHKEY_ADMIN_TOKEN: set(text(), 'you'),
  LATCHKEY_PORTAL_URL: set(z.optional(z.url({ protocol: /^https?$/ })), 'you'),
  LATCHKEY_CLOCK: set(z.optional(z.iso.datetime({ offset: true })), 'you'),
  LATCHKEY_SWEEP_INTERVAL_SECONDS: set(int(3600, 1, 86_400), 'you'),
  LATCHKEY_USAGE_FLUSH_SECONDS: set(int(10, 0, 900), 'you'),
  LATCHKEY_MAX_ACTIVE_KEYS_PER_OWNER: set(optionalInt(1, 1_000_000), 'you'),
  LATCHKEY_POLICY: set(z._default(z.string(), '{}'), 'you'),
  LATCHKEY_UNUSED_DAYS: set(int(90, 1, 3650), 'you'),
  LATCHKEY_KEY_RETENTION_DAYS: set(int(30, 1, 3650), 'you'),
  LATCHKEY_AUDIT_RETENTION_DAYS: set(int(400, 1, 3650), 'you'),
  LATCHKEY_IMPORT_ROTATION_DAYS: set(int(0, 0, 3650), 'you'),
  LATCHKEY_REMINDER_INTERVAL_DAYS: set(int(7, 1, 365), 'you'),
  LATCHKEY_EXPIRING_SOON_DAYS: set(int(14, 0, 365), 'you'),
  LATCHKEY_MAX_BODY_BYTES: set(int(16_384, 1024, 6_000_000), 'you'),
  LATCHKEY_USAGE_OVERVIEW_CACHE_SECONDS: set(int(300, 0, 3600), 'you'),
  LATCHKEY_UNUSUAL_FACTOR: set(int(5, 1, 1000), 'you'),
  LATCHKEY_UNUSUAL_MIN_REQUESTS: set(int(100, 1, 1_000_000_000), 'you'),
  LATCHKEY_USAGE_SOURCE: set(z._default(z.enum(['direct', 'logs']), 'direct'), 'construct'),
  LATCHKEY_KEY_CACHE_SECONDS: set(int(0, 0, KEY_CACHE_LIMITS.maxSeconds), 'you'),
  LATCHKEY_KEY_CACHE_ENTRIES: set(
    int(KEY_CACHE_LIMITS.defaultEntries, 1, KEY_CACHE_LIMITS.maxEntries),
    'you',
  ),
  LATCHKEY_AUTHORIZER_CACHE_SECONDS: set(int(0, 0, 3600), 'construct'),
  LATCHKEY_ROLE_CACHE_SECONDS: set(int(30, 0, 3600), 'you'),
  LATCHKEY_ROUTE_PERMISSIONS: set(z._default(z.string(), '{}'), 'construct'),
  LATCHKEY_DEFAULT_PERMISSIONS: set(text(), 'construct'),
  LATCHKEY_WORKSPACE_SOURCE: set(text(), 'construct'),
  LATCHKEY_HTTP_API_RESPONSE: set(z._default(z.enum(['simple', 'iam']), 'simple'), 'construct'),
  LATCHKEY_KEY_HEADER: set(text(), 'construct'),
  LATCHKEY_CHECK_DEADLINE_MS: set(optionalInt(100, 900_000), 'construct'),
  LATCHKEY_USAGE_PLANS: set(text(), 'construct'),
  LATCHKEY_PLANS: set(z._default(z.string(), '{}'), 'you'),
  LATCHKEY_USAGE_KEY_MAX_AGE_SECONDS: set(int(300, 1, 3600), 'you'),
  LATCHKEY_PEPPER_MAX_AGE_SECONDS: set(int(300, 1, 3600), 'you'),
  LATCHKEY_PEPPER_RETIRE_GRACE_SECONDS: set(optionalInt(0, 86_400), 'you'),
  LATCHKEY_LEAK_ACTION: set(z._default(z.enum(['revoke', 'disable']), 'revoke'), 'you'),
  LATCHKEY_LEAK_KEYS_URL: set(z.optional(z.url({ protocol: /^https?$/ })), 'you'),
  LATCHKEY_LEAK_KEYS_MAX_AGE_SECONDS: set(int(3600, 1, 86_400), 'you'),
  LATCHKEY_LEAK_KEYS_MIN_REFETCH_SECONDS: set(int(10, 0, 86_400), 'you'),
  LATCHKEY_LEAK_KEYS_TIMEOUT_MS: set(int(3000, 100, 10_000), 'you'),
  LATCHKEY_DYNAMODB_TIMEOUT_MS: set(optionalInt(50, 60_000), 'you'),
  LATCHKEY_DYNAMODB_MAX_ATTEMPTS: set(int(3, 1, 10), 'you'),
  LATCHKEY_AWS_CONNECTION_TIMEOUT_MS: set(optionalInt(50, 60_000), 'you'),
  LATCHKEY_HEALTH_CACHE_SECONDS: set(int(0, 0, 60), 'you'),
  POWERTOOLS_SERVICE_NAME: set(z._default(z.string(), 'latchkey'), 'construct'),
  POWERTOOLS_METRICS_NAMESPACE: set(z._default(z.string(), 'Latchkey'), 'construct'),
  POWERTOOLS_LOG_LEVEL: set(text(), 'you'),
  POWERTOOLS_METRICS_DISABLED: set(z.optional(z.enum(['true', 'false'])), 'local server'),
} as const;

export type SettingName = keyof typeof SETTINGS;
export type Settings = { readonly [K in SettingName]: z.output<(typeof SETTINGS)[K]['schema']> };

/** A setting's value as the environment carries it: a string, for the construct and the local server. */
export type SettingValues = Partial<Record<SettingName, string>>;

export class ConfigurationError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`configuration: ${problems.join('; ')}`);
    this.name = 'ConfigurationError';
  }
}

const schema = z.object(
  Object.fromEntries(Object.entries(SETTINGS).map(([name, d]) => [name, d.schema])) as {
    [K in SettingName]: (typeof SETTINGS)[K]['schema'];
  },
);

/** Parses an environment: every setting, with its default, or one error naming each bad variable. */
export function readSettings(env: Readonly<Record<string, string | undefined>>): Settings {
  const present = Object.fromEntries(
    Object.keys(SETTINGS).flatMap((name) => {
      const value = env[name];
      return value === undefined || value === '' ? [] : [[name, value]];
    }),
  );
  const parsed = z.safeParse(schema, present);
  if (parsed.success) return parsed.data as Settings;
  throw new ConfigurationError(
    parsed.error.issues.map((issue) => {
      const name = String(issue.path[0]);
      return `${name} ${describe(issue)}, got "${present[name]}"`;
    }),
  );
}

function describe(issue: z.core.$ZodIssue): string {
  if (issue.code === 'too_small') return `must be at least ${issue.minimum}`;
  if (issue.code === 'too_big') return `must be at most ${issue.maximum}`;
  if (issue.code === 'invalid_value')
    return `must be one of ${issue.values.map((v) => String(v)).join(', ')}`;
  if (issue.code === 'invalid_type' && issue.expected === 'int') return 'must be a whole number';
  if (issue.code === 'invalid_type' && issue.expected === 'number') return 'must be a number';
  if (issue.code === 'invalid_format')
    return `must be ${issue.format === 'url' ? 'an http(s) URL' : `a valid ${issue.format}`}`;
  return issue.message;
}

let current: { readonly from: string; readonly settings: Settings } | undefined;
const given: SettingValues = {};
const NAMES = Object.keys(SETTINGS) as SettingName[];

/**
 * The settings of this process, read at init (a bad value fails the cold start, naming each bad
 * variable) from its environment and what the local server gave with `configure()`; read again
 * only if either has changed since (tests change the environment between cases).
 */
export function settings(): Settings {
  const env = { ...process.env, ...given };
  const from = NAMES.map((name) => env[name] ?? '').join('\u0000');
  if (current?.from !== from) current = { from, settings: readSettings(env) };
  return current.settings;
}

/** A setting that must be given (a table's name, say): its value, or the configuration error. */
export function required<K extends SettingName>(name: K): NonNullable<Settings[K]> {
  const value = settings()[name];
  if (value === undefined || value === null) throw new ConfigurationError([`${name} is not set`]);
  return value as NonNullable<Settings[K]>;
}

/**
 * The local server's settings for the handlers it runs in this process (table names, the pepper
 * file, its engine): they take precedence over the environment, and are read afresh.
 */
export function configure(values: SettingValues): void {
  Object.assign(given, values);
  for (const [name, value] of Object.entries(values)) {
    // Powertools reads its own from the environment.
    if (name.startsWith('POWERTOOLS_') && value !== undefined) process.env[name] = value;
  }
}

/** The environment the construct gives a function, by setting name: every value a string. */
export function settingsEnvironment(values: SettingValues): Record<string, string> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as Record<
    string,
    string
  >;
}

/** The name of one of the service's tables, from its setting (LATCHKEY_<ID>_TABLE). */
export const tableName = (id: TableId): string => required(tableEnvVar(id));

/**
 * `npm start`'s quiet defaults, set before any AWS SDK client or Powertools logger is made (both
 * read these from the environment themselves), so the terminal shows only what a user acts on:
 * - the AWS SDK's warning that its releases after January 2027 need Node 22: this project pins its
 *   SDK in package-lock.json and supports Node 20.19+, so there is nothing to do about it;
 * - INFO log lines (one per lifecycle event): `latchkey events` lists the events, and
 *   POWERTOOLS_LOG_LEVEL=INFO shows them as they happen. Warnings and errors still print.
 */
export function quietLocalDefaults(): void {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
}
