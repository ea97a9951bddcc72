import type * as z from 'zod/mini';
import { SETTINGS, type SetBy, type SettingName } from './settings.ts';

/**
 * What each setting means, and its default as the tables show it where that is not a plain value:
 * apart from the schema, so the functions' bundles carry none of this text.
 */
interface Doc {
  readonly meaning: string;
  readonly shownDefault?: string;
}
const doc = (meaning: string, shownDefault?: string): Doc => ({
  meaning,
  ...(shownDefault ? { shownDefault } : {}),
});

export const SETTING_DOCS: Readonly<Record<SettingName, Doc>> = {
  LATCHKEY_KEYS_TABLE: doc("the keys table's name", 'set for you'),
  LATCHKEY_OWNERS_TABLE: doc("the owners (active-key counters) table's name", 'set for you'),
  LATCHKEY_AUDIT_TABLE: doc("the audit table's name", 'set for you'),
  LATCHKEY_USAGE_TABLE: doc("the usage table's name", 'set for you'),
  LATCHKEY_ROLES_TABLE: doc("the roles table's name", 'set for you'),
  LATCHKEY_IDEMPOTENCY_TABLE: doc(
    "the idempotency (rotations with an Idempotency-Key) table's name",
    'set for you',
  ),
  LATCHKEY_EVENTS_TABLE: doc('the local event log (what would go to EventBridge)', 'set for you'),
  LATCHKEY_SESSIONS_TABLE: doc("the portal sessions table's name", 'set for you'),
  LATCHKEY_PEPPER_SECRET_ARN: doc('the Secrets Manager secret holding the pepper', 'set for you'),
  LATCHKEY_PEPPER_FILE: doc('the pepper file in the data folder (mode 0600)', 'set for you'),
  LATCHKEY_EVENT_BUS_NAME: doc('the EventBridge bus events go to'),
  LATCHKEY_DYNAMODB_ENDPOINT: doc(
    'use another DynamoDB (e.g. a DynamoDB Local you run yourself) instead of starting one',
    'embedded',
  ),
  LATCHKEY_DYNAMODB_ACCESS_KEY_ID: doc(
    "the access key ID that selects the engine's database (random, in the data folder)",
    'set for you',
  ),
  PORT: doc('port on 127.0.0.1 (0: a free one)'),
  LATCHKEY_DATA_DIR: doc(
    "DynamoDB Local's files, the pepper and the admin token (both mode 0600); while it runs, `server-url` (the CLI reads it)",
  ),
  LATCHKEY_MEMORY: doc(
    '`1`: keep nothing on disk (DynamoDB in memory; pepper and token in a temporary folder removed on stop)',
    'unset',
  ),
  LATCHKEY_ADMIN_TOKEN: doc(
    'use this admin token instead (at least 32 characters; a shorter one is refused at start)',
    'generated on first start',
  ),
  LATCHKEY_PORTAL_URL: doc(
    'the origin portal links are made for, and the only one whose pages may change anything',
    "the server's own URL",
  ),
  LATCHKEY_CLOCK: doc(
    "a test clock, local mode only: an ISO time the service's clock starts at, then runs forward; rotation, expiry, dormancy, grace and refill all follow it (e.g. `2027-03-01T09:00:00Z` to rehearse March)",
    'the real time',
  ),
  LATCHKEY_SWEEP_INTERVAL_SECONDS: doc('how often the local server runs the rotation sweep'),
  LATCHKEY_USAGE_FLUSH_SECONDS: doc('how often counted usage is written (0: at once); off the check path'),
  LATCHKEY_MAX_ACTIVE_KEYS_PER_OWNER: doc(
    "keys an owner may hold at once (active or disabled); the policy's `maxKeysPerOwner` sets the same limit",
    '`100`',
  ),
  LATCHKEY_POLICY: doc(
    'the [compliance policy](#compliance-policy) as JSON; a bad one stops the start, naming each bad field',
  ),
  LATCHKEY_UNUSED_DAYS: doc(
    'days without use before "API Key Unused", and the compliance report\'s threshold',
  ),
  LATCHKEY_KEY_RETENTION_DAYS: doc(
    'how long revoked and expired keys stay listed before DynamoDB TTL removes them',
  ),
  LATCHKEY_AUDIT_RETENTION_DAYS: doc('how long audit records are kept'),
  LATCHKEY_IMPORT_ROTATION_DAYS: doc('days until an imported key is due for rotation (0: at once)'),
  LATCHKEY_REMINDER_INTERVAL_DAYS: doc('days between rotation reminders for a key that stays due'),
  LATCHKEY_EXPIRING_SOON_DAYS: doc('days before expiry of the first "API Key Expiring" event'),
  LATCHKEY_MAX_BODY_BYTES: doc('the largest request body the management API reads'),
  LATCHKEY_USAGE_OVERVIEW_CACHE_SECONDS: doc(
    'how long the usage overview keeps days before yesterday in memory (0 = off)',
  ),
  LATCHKEY_UNUSUAL_FACTOR: doc(
    "a key is flagged unusual when today's requests are at least this many times its median day…",
  ),
  LATCHKEY_UNUSUAL_MIN_REQUESTS: doc('…and at least this many (see Usage overview)'),
  LATCHKEY_USAGE_SOURCE: doc(
    '`logs`: the authorizer only reads; usage comes from its log lines (usage-ingest). Fixed at bundle time in AWS',
  ),
  LATCHKEY_KEY_CACHE_SECONDS: doc(
    'the [hot-key cache](#hot-key-cache) of the verify path, 0 to 10 s; revocation then takes up to this long',
    '`0` (off)',
  ),
  LATCHKEY_KEY_CACHE_ENTRIES: doc('keys the hot-key cache holds at most (least recently used go first)'),
  LATCHKEY_AUTHORIZER_CACHE_SECONDS: doc(
    "API Gateway's authorizer result cache TTL, told to the authorizer only to state the revocation bound",
  ),
  LATCHKEY_ROLE_CACHE_SECONDS: doc('how long a check keeps custom role definitions'),
  LATCHKEY_ROUTE_PERMISSIONS: doc('the route map as JSON: `{"GET /orders/*": "orders:read"}`'),
  LATCHKEY_DEFAULT_PERMISSIONS: doc(
    'the permission an unmapped route needs, by method, as JSON (default: `api:read` for reads, `api:write` otherwise)',
    'by method',
  ),
  LATCHKEY_WORKSPACE_SOURCE: doc(
    'where a protected API names its workspace: `fixed:<id>`, `header:<name>` or `path:<name>`',
    'no workspace check',
  ),
  LATCHKEY_HTTP_API_RESPONSE: doc(
    'HTTP API authorizer answers: `simple` ({ isAuthorized }) or `iam` (a policy)',
  ),
  LATCHKEY_KEY_HEADER: doc('the one header the key is read from', '`Authorization: Bearer` or `x-api-key`'),
  LATCHKEY_CHECK_DEADLINE_MS: doc('a check still running after this long fails closed, as a fault', 'none'),
  LATCHKEY_USAGE_PLANS: doc("API Gateway's usage plans, as the construct made them (JSON)", 'none'),
  LATCHKEY_PLANS: doc(
    'usage plans as JSON, e.g. `{"free":{"rateLimit":5,"burstLimit":5,"quota":{"limit":1000,"period":"DAY"}}}`; `/demo` enforces them (see [usage plans](#usage-plans-rate-limits-and-quotas)); a bad value stops the start with every bad field named',
    '`{}` (no plans)',
  ),
  LATCHKEY_USAGE_KEY_MAX_AGE_SECONDS: doc("how long the authorizer keeps a shared plan's API key value"),
  LATCHKEY_PEPPER_MAX_AGE_SECONDS: doc('how long a function keeps the pepper before reading it again'),
  LATCHKEY_PEPPER_RETIRE_GRACE_SECONDS: doc(
    'how long after a rotation the replaced version may not be retired',
    "`0` locally, the pepper cache's max age in AWS",
  ),
  LATCHKEY_LEAK_ACTION: doc(
    'what a reported leaked key gets: `revoke` or `disable` ([leak response](#leak-response))',
  ),
  LATCHKEY_LEAK_KEYS_URL: doc(
    'where `POST /v1/leaks/github` fetches the signing public keys ([leak report settings](#leak-report-settings))',
    "GitHub's key list",
  ),
  LATCHKEY_LEAK_KEYS_MAX_AGE_SECONDS: doc('how long the signing keys are kept'),
  LATCHKEY_LEAK_KEYS_MIN_REFETCH_SECONDS: doc('the least time between two fetches for an unknown key'),
  LATCHKEY_LEAK_KEYS_TIMEOUT_MS: doc('how long one fetch of the signing keys may take'),
  LATCHKEY_DYNAMODB_TIMEOUT_MS: doc(
    'how long one DynamoDB or Secrets Manager call may take to answer',
    '`3000` (`15000` locally)',
  ),
  LATCHKEY_DYNAMODB_MAX_ATTEMPTS: doc('attempts per DynamoDB or Secrets Manager call'),
  LATCHKEY_AWS_CONNECTION_TIMEOUT_MS: doc('how long a connection may take', 'the call timeout'),
  LATCHKEY_HEALTH_CACHE_SECONDS: doc(
    'how long `/healthz` keeps its answer (0 to 60 s; see [public routes in AWS](#public-routes-in-aws))',
    '`0` locally (every call reads), `5` in AWS',
  ),
  POWERTOOLS_SERVICE_NAME: doc('the service name in logs and metrics'),
  POWERTOOLS_METRICS_NAMESPACE: doc('the CloudWatch metrics namespace'),
  POWERTOOLS_LOG_LEVEL: doc(
    '`INFO` also logs each lifecycle event as it is published (`latchkey events` lists them either way)',
    '`WARN` locally, `INFO` in AWS',
  ),
  POWERTOOLS_METRICS_DISABLED: doc('no EMF metrics (the local server sets it)', 'set for you'),
};

/** A settings table: every setting given by one of `setBy`, its default and what it means. */
export function settingsTable(setBy: readonly SetBy[]): string {
  const rows = (Object.keys(SETTINGS) as SettingName[])
    .filter((name) => setBy.includes(SETTINGS[name].setBy))
    .map((name) => {
      const { meaning, shownDefault } = SETTING_DOCS[name];
      return `| \`${name}\` | ${shownDefault ?? defaultOf(SETTINGS[name].schema)} | ${meaning} |`;
    });
  return ['| variable | default | meaning |', '| --- | --- | --- |', ...rows].join('\n');
}

function defaultOf(schema: z.core.$ZodType): string {
  const def = schema._zod.def as { type: string; defaultValue?: unknown };
  return def.type === 'default' ? `\`${String(def.defaultValue)}\`` : 'unset';
}
