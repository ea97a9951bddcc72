import { z } from 'zod';
import { csvField } from '#domain/compliance/compliance-report.ts';
import { text } from '#domain/shared/schemas.ts';
import type { RequestRow } from './recent-requests.ts';

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
