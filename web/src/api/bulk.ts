import type { BulkAction, BulkDryRun, BulkFilter, BulkRun } from '@latchkey/client/types';
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { type ApiClient, useApi } from './client.ts';
import { keyQueryKeys } from './keys.ts';

/**
 * The kill switch's dry run, as a query (it changes nothing): how many keys a filter matches,
 * the first 20, and the token a run needs (good for 10 minutes, so it is fetched afresh).
 */
export const bulkDryRunQuery = (api: ApiClient, filter: BulkFilter, action: BulkAction) =>
  queryOptions({
    queryKey: ['keys', 'bulk', action, filter] as const,
    queryFn: () => api.request<BulkDryRun>('POST', '/keys/bulk', { body: { filter, action, dryRun: true } }),
    staleTime: 60_000,
  });

/** The run: called again with the same token until it is done; then every key list refreshes. */
export function useBulkRun() {
  const api = useApi();
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({
      filter,
      action,
      confirm,
    }: {
      filter: BulkFilter;
      action: BulkAction;
      confirm: string;
    }) => {
      let run: BulkRun;
      do
        run = await api.request<BulkRun>('POST', '/keys/bulk', {
          body: { filter, action, dryRun: false, confirm },
        });
      while (!run.done);
      return run;
    },
    onSettled: () => void client.invalidateQueries({ queryKey: keyQueryKeys.all }),
  });
}
