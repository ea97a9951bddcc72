import type { UsageOverview } from '@latchkey/client/types';
import { infiniteQueryOptions, queryOptions } from '@tanstack/react-query';
import type { ApiClient } from './client.ts';

export const USAGE_WINDOWS = [7, 30] as const;
export type UsageWindow = (typeof USAGE_WINDOWS)[number];

/** Under ['keys'], so a key's change refreshes the overview too. */
export const usageQueryKeys = {
  overview: (days: number) => ['keys', 'usage-overview', days] as const,
  unusual: () => ['keys', 'usage-overview', 'unusual'] as const,
};

export const usageOverviewQuery = (api: ApiClient, days: UsageWindow) =>
  infiniteQueryOptions({
    queryKey: usageQueryKeys.overview(days),
    queryFn: ({ pageParam }) =>
      api.request<UsageOverview>('GET', '/usage', { query: { days, limit: 50, cursor: pageParam } }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });

/** The keys flagged for unusual activity today (over the 30-day baseline), for the keys table's badge. */
export const unusualKeysQuery = (api: ApiClient) =>
  queryOptions({
    queryKey: usageQueryKeys.unusual(),
    queryFn: async () => {
      const page = await api.request<UsageOverview>('GET', '/usage', {
        query: { days: 30, unusual: 'true', limit: 100 },
      });
      return new Set(page.items.map((item) => item.keyId));
    },
  });
