import { ApiError, type FieldIssue } from '#domain/shared/errors.ts';
import { CHECK_LIMITS, TRIP_LIMITS } from '#domain/usage/check-record.ts';
import type { KeyRecord } from './key.ts';

/**
 * DynamoDB item sizes, by AWS's rules ("DynamoDB item sizes and formats"): the sum over
 * attributes of the name's UTF-8 bytes plus the value's size. A string is its UTF-8 bytes; a
 * number 1 byte per two significant digits plus 1; a boolean or null 1; binary its raw bytes;
 * a list or map 3 bytes plus, per element, its size plus 1 (a map element's size includes its
 * name). A strongly consistent read costs one read unit per 4 KB of item.
 */
const utf8 = (s: string) => Buffer.byteLength(s, 'utf8');

function numberBytes(n: number): number {
  const digits = Math.abs(n)
    .toExponential()
    .replace(/e.*$/, '')
    .replace('.', '')
    .replace(/^0+|0+$/g, '');
  return Math.ceil(Math.max(digits.length, 1) / 2) + 1;
}

export function valueBytes(value: unknown): number {
  if (value === null || typeof value === 'boolean') return 1;
  if (typeof value === 'string') return utf8(value);
  if (typeof value === 'number') return numberBytes(value);
  if (value instanceof Uint8Array) return value.byteLength;
  if (Array.isArray(value)) return 3 + value.reduce((sum: number, v) => sum + valueBytes(v) + 1, 0);
  if (value instanceof Set) return [...value].reduce((sum: number, v) => sum + valueBytes(v), 0);
  if (typeof value === 'object') {
    return (
      3 +
      Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .reduce((sum, [k, v]) => sum + utf8(k) + valueBytes(v) + 1, 0)
    );
  }
  throw new TypeError(`itemSizeBytes: cannot size a ${typeof value}`);
}

/** Each attribute's bytes (name + value); undefined attributes are not stored and weigh nothing. */
export function attributeBytes(item: Readonly<Record<string, unknown>>): Record<string, number> {
  return Object.fromEntries(
    Object.entries(item)
      .filter(([, v]) => v !== undefined)
      .map(([name, v]) => [name, utf8(name) + valueBytes(v)]),
  );
}

export function itemSizeBytes(item: Readonly<Record<string, unknown>>): number {
  return Object.values(attributeBytes(item)).reduce((a, b) => a + b, 0);
}

/** What one strongly consistent GetItem of an item this size costs. */
export const readUnitsFor = (bytes: number) => Math.max(1, Math.ceil(bytes / 4096));

/**
 * The key item's budget. 4,096 bytes is one read unit; the record is held to 3,500 at its largest
 * (below), which leaves about 600 bytes for fields that later work adds to every key (a plan,
 * import and canary markers, pepper versions, leak and compliance markers).
 */
export const KEY_ITEM_BUDGET_BYTES = 3500;

const MAX_ID = `key_${'X'.repeat(22)}`;
const MAX_TIME = '2026-01-01T00:00:00.000Z';
/**
 * What a key's item can still gain after a create or PATCH without any request asking for it:
 * rotation links, revocation, reminders, last use (the lifecycle's fields at their largest), and
 * 128 bytes for the store's own attributes that come and go with the lifecycle (TTL, the sweep
 * indexes' shard and time: about 110 bytes today).
 */
export const LIFECYCLE_RESERVE_BYTES =
  itemSizeBytes({
    rotatedFrom: MAX_ID,
    rotatedTo: MAX_ID,
    revokedAt: MAX_TIME,
    rotationReminderAt: MAX_TIME,
    lastUsedAt: MAX_TIME,
    expiryNoticeSent: true,
  }) + 128;

/**
 * What usage counting can add to a canary's item, never asked for by a request: its trip record
 * at its largest (TRIP_LIMITS: the route cut at 128 UTF-16 units, each up to 3 bytes).
 */
export const CANARY_TRIP_RESERVE_BYTES = itemSizeBytes({
  tripCount: 123_456_789_012,
  firstTrippedAt: MAX_TIME,
  lastTrippedAt: MAX_TIME,
  lastTripSourceIp: 'f'.repeat(TRIP_LIMITS.sourceIp),
  lastTripRoute: '中'.repeat(TRIP_LIMITS.route),
});

/**
 * What usage counting adds to a used key's item, never asked for by a request: the last use's
 * address, agent and route at their bounds (CHECK_LIMITS, in UTF-8 bytes).
 */
export const LAST_USE_RESERVE_BYTES = itemSizeBytes({
  lastUsedIp: 'f'.repeat(CHECK_LIMITS.sourceIp),
  lastUsedAgent: 'a'.repeat(CHECK_LIMITS.userAgent),
  lastUsedRoute: `${'M'.repeat(CHECK_LIMITS.method)} ${'p'.repeat(CHECK_LIMITS.path)}`,
});

/** The fields a request can make large, as the API names them. */
const REQUEST_FIELDS = [
  'name',
  'description',
  'metadata',
  'owner',
  'scope',
  'roles',
  'permissions',
  'ipAllowlist',
  'usageIdentifierKey',
] as const;

/**
 * Refuses a record whose item, with the lifecycle's reserve, would be over the budget: a 400
 * that names each field the request can shrink, largest first, with its bytes. `item` is the
 * record as the store writes it (its search attribute repeats name and description, and is
 * counted with them; its lower-case copy of a mixed-case owner counts with the owner). A change that grows none of those fields (from `before`) always passes, so
 * a key stored before the budget can still be disabled, enabled, given an expiry or shrunk.
 */
export function assertKeyItemFits(
  record: KeyRecord,
  item: Readonly<Record<string, unknown>>,
  before?: Readonly<Record<string, unknown>>,
): void {
  // A canary is never used; its trips are recorded instead.
  const reserve =
    LIFECYCLE_RESERVE_BYTES + (record.type === 'canary' ? CANARY_TRIP_RESERVE_BYTES : LAST_USE_RESERVE_BYTES);
  const total = itemSizeBytes(item) + reserve;
  if (total <= KEY_ITEM_BUDGET_BYTES) return;
  if (before) {
    const [now, was] = [attributeBytes(item), attributeBytes(before)];
    if (REQUEST_FIELDS.every((field) => (now[field] ?? 0) <= (was[field] ?? 0))) return;
  }
  const sizes = attributeBytes(item);
  // The store's lower-case copy of the owner (for the owner filter) counts against the owner.
  const ownerCopy = sizes.ownerText ?? 0;
  const derived = Math.max(
    0,
    itemSizeBytes(item) - itemSizeBytes(record as unknown as Record<string, unknown>) - ownerCopy,
  );
  const textBytes = utf8(record.name) + utf8(record.description ?? '');
  const fieldBytes = (field: (typeof REQUEST_FIELDS)[number]) => {
    const own = (sizes[field] ?? 0) + (field === 'owner' ? ownerCopy : 0);
    // The store's search copy of name and description counts against them, in proportion.
    if ((field === 'name' || field === 'description') && own > 0 && textBytes > 0) {
      const text = field === 'name' ? utf8(record.name) : utf8(record.description ?? '');
      return own + Math.round((derived * text) / textBytes);
    }
    return own;
  };
  const details: FieldIssue[] = REQUEST_FIELDS.map((field) => ({ field, bytes: fieldBytes(field) }))
    .filter((f) => f.bytes > 0)
    .sort((a, b) => b.bytes - a.bytes)
    .map(({ field, bytes }) => ({
      field,
      message: `takes ${bytes} bytes of the key's ${KEY_ITEM_BUDGET_BYTES}-byte item budget; shorten it`,
    }));
  throw new ApiError(
    'VALIDATION_FAILED',
    `the key would take ${total} bytes (with ${reserve} reserved for rotation and revocation${record.type === 'canary' ? " and the canary's trips" : ' and its last use'}), over the ${KEY_ITEM_BUDGET_BYTES}-byte budget that keeps a check at one DynamoDB read unit`,
    details,
  );
}
