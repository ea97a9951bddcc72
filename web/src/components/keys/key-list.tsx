import type { ApiKey, KeyPage } from '@latchkey/client/types';
import { type InfiniteData, type UseInfiniteQueryResult, useInfiniteQuery } from '@tanstack/react-query';
import { type ReactNode, useEffect } from 'react';
import { useApi } from '../../api/client.ts';
import { type KeyFilters, keysListQuery, PAGE_SIZE } from '../../api/keys.ts';
import { LoadMore, QueryState } from '../query-state.tsx';

/** Pages the list follows on its own while a filtered page comes back with nothing to show. */
const AUTO_PAGES = 10;

export interface KeyList {
  readonly query: UseInfiniteQueryResult<InfiniteData<KeyPage>>;
  /** The keys to show: revoked ones leave the list unless a status was chosen. */
  readonly keys: ApiKey[];
  readonly hiddenRevoked: number;
  /** The server stopped reading before it filled the last page, and more may match. */
  readonly truncated: boolean;
}

/**
 * The keys that match `filters`, page by page as the API's cursor goes. Revoked keys leave the
 * default view (the Status filter brings them back); a page that leaves too little to show
 * fetches the next by itself, a few pages at most.
 */
export function useKeyList(filters: KeyFilters): KeyList {
  const query = useInfiniteQuery(keysListQuery(useApi(), filters));
  const loaded = (query.data?.pages ?? []).flatMap((p) => p.items);
  const keys = loaded.filter((key) => filters.status !== undefined || key.status !== 'revoked');
  const pages = query.data?.pages.length ?? 0;
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = query;
  useEffect(() => {
    if (hasNextPage && !isFetchingNextPage && keys.length < PAGE_SIZE / 2 && pages < AUTO_PAGES) {
      void fetchNextPage();
    }
  }, [hasNextPage, isFetchingNextPage, keys.length, pages, fetchNextPage]);
  return {
    query,
    keys,
    hiddenRevoked: loaded.length - keys.length,
    truncated: Boolean(query.data?.pages.at(-1)?.truncated) && hasNextPage,
  };
}

/** Loading, a failure with Retry, and "nothing here": what the list shows when it has no keys. */
export function KeyListState({
  list,
  filtered,
  empty,
}: {
  list: KeyList;
  /** Whether a search or filter is applied. */
  filtered: boolean;
  /** What to say, and offer, when there are no keys at all. */
  empty: ReactNode;
}) {
  const { query, keys, hiddenRevoked } = list;
  return (
    <>
      <QueryState query={query} prefix="The keys could not be listed" loading="Loading keys…" rows={6} />
      {query.isSuccess && keys.length === 0 && !query.hasNextPage && (
        <div className="empty">
          {filtered || hiddenRevoked > 0 ? (
            <>
              <h2>No keys match these filters</h2>
              <p>
                {hiddenRevoked > 0
                  ? `${hiddenRevoked} revoked ${hiddenRevoked === 1 ? 'key is' : 'keys are'} hidden: choose Revoked under Status to see ${hiddenRevoked === 1 ? 'it' : 'them'}.`
                  : 'Change the search or filters, or clear them to see every key.'}
              </p>
            </>
          ) : (
            empty
          )}
        </div>
      )}
    </>
  );
}

/** What a key list says before there are any keys: what keys are for, and Create where the caller may. */
export function NoKeysYet({ onCreate, children }: { onCreate?: () => void; children: ReactNode }) {
  return (
    <>
      <h2>No API keys yet</h2>
      {children}
      {onCreate && (
        <button type="button" className="button button-primary" onClick={onCreate}>
          Create your first key
        </button>
      )}
    </>
  );
}

/** How many keys are shown, and "Load more keys" while the API has more. */
export function KeyListFooter({ list }: { list: KeyList }) {
  const { query, keys, hiddenRevoked, truncated } = list;
  return (
    <div className="list-footer">
      {query.isSuccess && (
        <p className="muted small" role="status">
          {keys.length} {keys.length === 1 ? 'key' : 'keys'} shown
          {hiddenRevoked > 0 ? ` (${hiddenRevoked} revoked hidden)` : ''}
          {query.hasNextPage ? '; more to load' : ''}
        </p>
      )}
      {truncated && (
        <p className="muted small">
          The server stopped reading before the page was full; more keys may match. Load more to carry on.
        </p>
      )}
      <LoadMore query={query} label="Load more keys" />
    </div>
  );
}
