import { ErrorMessage } from './error-message.tsx';
import { Skeleton } from './skeleton.tsx';

/** What QueryState reads of a query (a plain or an infinite one). */
interface Loadable {
  readonly error: unknown;
  readonly isPending: boolean;
  readonly isFetching: boolean;
  refetch(): Promise<unknown>;
}

/** A query's failure, with Retry, or its loading bars: what shows before its data. */
export function QueryState({
  query,
  prefix,
  loading,
  rows,
}: {
  query: Loadable;
  /** What could not be done ("Usage could not be loaded"). */
  prefix: string;
  /** What is loading, for screen readers. */
  loading: string;
  rows: number;
}) {
  return (
    <>
      <ErrorMessage
        error={query.error}
        prefix={prefix}
        onRetry={() => void query.refetch()}
        retrying={query.isFetching}
      />
      {query.isPending && !query.error && <Skeleton label={loading} rows={rows} />}
    </>
  );
}

/** What LoadMore reads of an infinite query. */
interface Paged {
  readonly hasNextPage: boolean;
  readonly isFetchingNextPage: boolean;
  fetchNextPage(): Promise<unknown>;
}

/** The next page of an infinite query, while the API has more. */
export function LoadMore({
  query,
  label,
  pendingLabel = 'Loading…',
}: {
  query: Paged;
  label: string;
  pendingLabel?: string;
}) {
  if (!query.hasNextPage) return null;
  return (
    <button
      type="button"
      className="button"
      disabled={query.isFetchingNextPage}
      onClick={() => void query.fetchNextPage()}
    >
      {query.isFetchingNextPage ? pendingLabel : label}
    </button>
  );
}
