import { z } from 'zod';
import { csvField } from '#domain/compliance/compliance-report.ts';
import type { Page } from '#domain/shared/ports.ts';
import { text } from '#domain/shared/schemas.ts';
import type { CheckRecord } from './check-record.ts';

/**
 * A key's recent requests: each counting batch writes the key's newest RECENT_REQUESTS_KEPT
 * checks of that batch as one item (one write per key per batch), kept RECENT_REQUESTS_DAYS
 * from its newest check. So the last 100 requests of a key are always there, and every request
 * is there for at least 7 days unless 100 newer ones of its own batch pushed it out.
 */
export const RECENT_REQUESTS_KEPT = 100;
export const RECENT_REQUESTS_DAYS = 7;

/** One request as the list shows it: the check's record without its key. */
export type RequestRow = Omit<CheckRecord, 'keyId'>;

/** Where a key's recent requests are kept (functions/store/dynamo-requests.ts). */
export interface RequestLog {
  /** One batch's newest requests of one key (at most RECENT_REQUESTS_KEPT), in one write. */
  append(keyId: string, rows: readonly RequestRow[]): Promise<void>;
  /** Newest first; `cursor` from the previous page. InvalidCursorError for a cursor of another list. */
  page(keyId: string, limit: number, cursor: string | undefined): Promise<Page<RequestRow>>;
}

/**
 * A batch's rows of one key (in the order they were counted), newest first, cut to what is kept;
 * two of one millisecond stay in the order they came, the later first.
 */
export function newestRows(rows: readonly RequestRow[]): RequestRow[] {
  return [...rows]
    .reverse()
    .sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0))
    .slice(0, RECENT_REQUESTS_KEPT);
}

/** GET /v1/keys/{keyId}/requests?limit=&cursor=&format= */
export const requestsQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(1000).default(50),
  cursor: text(2048).min(1).optional(),
  format: z.enum(['json', 'csv']).optional(),
});
export type RequestsQuery = z.infer<typeof requestsQuery>;

export const requestRow = z.object({
  at: z.string(),
  outcome: z.string().describe('ALLOWED, or the refusal code'),
  method: z.string(),
  path: z.string().describe("the route's resource path (the request's path where the API names none)"),
  sourceIp: z.string().nullable(),
  userAgent: z.string().nullable().describe('cut to 128 UTF-8 bytes'),
  latencyMs: z.number(),
  region: z.string().nullable(),
});

/** The JSON answer; with `format=csv` the same rows as CSV (requestsCsv). */
export const requestsAnswer = z.object({
  keyId: z.string(),
  items: z.array(requestRow),
  nextCursor: z.string().nullable(),
});
export type RequestsAnswer = z.infer<typeof requestsAnswer>;

const CSV_COLUMNS = [
  'at',
  'outcome',
  'method',
  'path',
  'sourceIp',
  'userAgent',
  'latencyMs',
  'region',
] as const satisfies readonly (keyof RequestRow)[];

/** The rows as CSV (RFC 4180, CRLF, a header row), every text cell neutralised as the compliance CSV's. */
export function requestsCsv(rows: readonly RequestRow[]): string {
  const lines = [
    CSV_COLUMNS.map(csvField).join(','),
    ...rows.map((row) => CSV_COLUMNS.map((column) => csvField(row[column])).join(',')),
  ];
  return `${lines.join('\r\n')}\r\n`;
}
