import { KEY_STATUSES, type KeyFilters, type KeyStatusFilter } from '../api/keys.ts';

/* Checks for the search params the pages read: a value that fails is dropped, never sent to the API. */

/** A trimmed, non-empty text of at most `max` characters. */
export function textParam(value: string | null, max: number): string | undefined {
  const trimmed = value?.trim();
  return trimmed && trimmed.length <= max ? trimmed : undefined;
}

const statusParam = (value: string | null): KeyStatusFilter | undefined =>
  KEY_STATUSES.find((s) => s === value);

/** The filters every key list takes from its URL: `search` and `status`. */
export const parseListSearch = (params: URLSearchParams): Pick<KeyFilters, 'search' | 'status'> => ({
  search: textParam(params.get('search'), 128),
  status: statusParam(params.get('status')),
});

/** `/keys/<keyId>` (from the app's mount): the key's page. */
export const keyIdOfPath = (pathname: string): string | undefined =>
  /^\/keys\/(key_[A-Za-z0-9]{1,64})\/?$/.exec(pathname)?.[1];
