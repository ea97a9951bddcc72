import type { WhoAmI } from '@latchkey/client/types';
import { queryOptions } from '@tanstack/react-query';
import type { ApiClient } from './client.ts';

export const whoamiQuery = (api: ApiClient) =>
  queryOptions({
    queryKey: ['whoami'] as const,
    queryFn: () => api.request<WhoAmI>('GET', '/whoami'),
    staleTime: Number.POSITIVE_INFINITY,
  });
