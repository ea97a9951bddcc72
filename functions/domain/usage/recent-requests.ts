import type { Page } from '#domain/shared/ports.ts';
import type { CheckRecord } from './check-record.ts';

/**
 * A key's recent requests (its API, schemas and CSV: requests-api.ts, apart, so the counting path
 * that runs beside the authorizer carries no validation library): each counting batch writes the key's newest RECENT_REQUESTS_KEPT
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
