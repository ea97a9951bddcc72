import { createHash, randomBytes } from 'node:crypto';
import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { InvalidCursorError, type Page } from '#domain/shared/ports.ts';
import {
  RECENT_REQUESTS_DAYS,
  RECENT_REQUESTS_KEPT,
  type RequestLog,
  type RequestRow,
} from '#domain/usage/recent-requests.ts';

const DAY_S = 86_400;

/** A row as stored: a list in this order, so the attribute names are not repeated per row. */
type StoredRow = [string, string, string, string, string | null, string | null, number, string | null];

const toStored = (r: RequestRow): StoredRow => [
  r.at,
  r.outcome,
  r.method,
  r.path,
  r.sourceIp,
  r.userAgent,
  r.latencyMs,
  r.region,
];
const fromStored = ([
  at,
  outcome,
  method,
  path,
  sourceIp,
  userAgent,
  latencyMs,
  region,
]: StoredRow): RequestRow => ({
  at,
  outcome,
  method,
  path,
  sourceIp,
  userAgent,
  latencyMs,
  region,
});

/** The item one batch writes for one key: what `append` puts (sized by the tests). */
export function requestsItem(keyId: string, rows: readonly RequestRow[]) {
  const newest = rows[0]?.at as string;
  return {
    keyId,
    // Newest first across items: a batch's items sort by their newest request, then a random tie-breaker.
    sk: `${newest}#${randomBytes(6).toString('base64url')}`,
    rows: rows.map(toStored),
    ttl: Math.floor(Date.parse(newest) / 1000) + RECENT_REQUESTS_DAYS * DAY_S,
  };
}

/** A row's place in the list: newest first; one time, the later item first; one item, its order. */
interface Position {
  readonly at: string;
  readonly sk: string;
  readonly i: number;
}
const precedes = (a: Position, b: Position) =>
  a.at > b.at || (a.at === b.at && (a.sk > b.sk || (a.sk === b.sk && a.i < b.i)));

const SORT_KEY = /^\d{4}-\d\d-\d\dT[\d:.]+Z#[A-Za-z0-9_-]{1,16}$/;

/**
 * A page's cursor: the last row answered (its position), and the sort key to read from again (the
 * newest item that still had rows to give), both checked; bound to its key, so another key's
 * cursor is refused.
 */
class RequestsCursor {
  private readonly query: string;
  constructor(keyId: string) {
    this.query = createHash('sha256').update(`requests#${keyId}`).digest('base64url').slice(0, 16);
  }

  encode(last: Position, from: string): string {
    const body = { q: this.query, a: last.at, s: last.sk, i: last.i, f: from };
    return Buffer.from(JSON.stringify(body)).toString('base64url');
  }

  decode(raw: string | undefined): { last: Position; from: string } | undefined {
    if (raw === undefined) return undefined;
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    } catch {
      throw new InvalidCursorError();
    }
    const { q, a, s, i, f } = parsed ?? {};
    const valid =
      q === this.query &&
      typeof a === 'string' &&
      !Number.isNaN(Date.parse(a)) &&
      typeof s === 'string' &&
      SORT_KEY.test(s) &&
      typeof f === 'string' &&
      SORT_KEY.test(f) &&
      Number.isInteger(i) &&
      (i as number) >= 0 &&
      (i as number) < RECENT_REQUESTS_KEPT;
    if (!valid) throw new InvalidCursorError();
    return { last: { at: a as string, sk: s as string, i: i as number }, from: f as string };
  }
}

/**
 * Recent requests, one item per key per counting batch (the batch's newest rows of that key), gone
 * by TTL RECENT_REQUESTS_DAYS after their newest. Items sort by their newest request, but two
 * batches' requests can interleave (two log subscriptions' invocations at once), so a page merges
 * them: a row is answered only once every item that could hold a newer one has been read (an item
 * later in the order has nothing newer than its own first row).
 */
export class DynamoRequestLog implements RequestLog {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async append(keyId: string, rows: readonly RequestRow[]): Promise<void> {
    if (rows.length === 0) return;
    await this.doc.send(new PutCommand({ TableName: this.table, Item: requestsItem(keyId, rows) }));
  }

  async page(keyId: string, limit: number, cursor: string | undefined): Promise<Page<RequestRow>> {
    const codec = new RequestsCursor(keyId);
    const after = codec.decode(cursor);
    const pending: (Position & { row: RequestRow })[] = [];
    const out: (Position & { row: RequestRow })[] = [];
    const answer = (bound?: Position) => {
      while (out.length < limit && pending.length > 0 && (!bound || precedes(pending[0] as Position, bound)))
        out.push(pending.shift() as Position & { row: RequestRow });
    };
    let start: Record<string, unknown> | undefined;
    /** The first item not read in full when the page filled: where the next page reads from. */
    let unread: string | undefined;
    do {
      const res = await this.doc.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: after ? 'keyId = :k AND sk <= :from' : 'keyId = :k',
          ExpressionAttributeValues: { ':k': keyId, ...(after ? { ':from': after.from } : {}) },
          ScanIndexForward: false,
          ExclusiveStartKey: start,
          Limit: 25,
        }),
      );
      for (const item of res.Items ?? []) {
        const sk = String(item.sk);
        const rows = ((item.rows ?? []) as StoredRow[]).map(fromStored);
        if (rows.length === 0) continue;
        answer({ at: (rows[0] as RequestRow).at, sk, i: -1 });
        if (out.length === limit) {
          unread = sk;
          break;
        }
        rows.forEach((row, i) => {
          const position = { at: row.at, sk, i, row };
          if (after && !precedes(after.last, position)) return;
          const at = pending.findIndex((p) => precedes(position, p));
          pending.splice(at < 0 ? pending.length : at, 0, position);
        });
      }
      start = res.LastEvaluatedKey;
    } while (start && unread === undefined);
    if (unread === undefined) answer();
    const last = out.at(-1);
    const more = unread !== undefined || pending.length > 0;
    if (!last || !more) return { items: out.map((p) => p.row), nextCursor: null };
    const from = pending.reduce((max, p) => (p.sk > max ? p.sk : max), unread ?? '');
    return { items: out.map((p) => p.row), nextCursor: codec.encode(last, from) };
  }
}
