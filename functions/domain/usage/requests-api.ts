import { z } from 'zod';
import { csvField } from '#domain/compliance/compliance-report.ts';
import { pageFields, type Same, timestamp } from '#domain/shared/answers.ts';
import { text } from '#domain/shared/schemas.ts';
import type { RequestRow } from './recent-requests.ts';

/** GET /v1/keys/{keyId}/requests?limit=&cursor=&format= */
export const requestsQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(1000).default(50),
  cursor: text(2048).min(1).optional(),
  format: z.enum(['json', 'csv']).optional(),
});
export type RequestsQuery = z.infer<typeof requestsQuery>;

/** One check of the key, as the verification log kept it. */
export const requestRowSchema = z
  .object({
    at: timestamp,
    outcome: z.string().meta({ description: '`ALLOWED`, or the refusal code.' }),
    method: z.string(),
    path: z
      .string()
      .meta({ description: "The route's resource path (the request's path where the API names none)." }),
    sourceIp: z.string().nullable(),
    userAgent: z.string().nullable().meta({ description: 'Cut to 128 UTF-8 bytes.' }),
    latencyMs: z.number().meta({ description: "The check's own latency." }),
    region: z.string().nullable(),
  })
  .meta({ id: 'RequestRow' });

/**
 * The JSON answer, newest first; with `format=csv` the same rows as CSV (requestsCsv). A page
 * with the key's ID, never cut short by a read budget (so no `truncated`).
 */
export const requestsPageSchema = z
  .object({ keyId: z.string(), ...pageFields(requestRowSchema) })
  .meta({ id: 'RequestsPage', description: "One page of a key's recent requests, newest first." });
export type RequestsPage = z.output<typeof requestsPageSchema>;
true satisfies Same<RequestRow, z.output<typeof requestRowSchema>>;

/** The CSV answer: a header row, then the page's rows in the JSON's order. */
export const requestsCsvSchema = z.string().meta({
  description:
    'at,outcome,method,path,sourceIp,userAgent,latencyMs,region: one row per request, formula-safe.',
});

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
