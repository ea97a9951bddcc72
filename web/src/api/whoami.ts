import { queryOptions } from '@tanstack/react-query';
import type { ApiClient } from './client.ts';

export interface Whoami {
  /** Who the management API says the caller is: the actor in the audit trail and the default owner. */
  actor: string;
  mode: 'local' | 'aws';
}

export const whoamiQuery = (api: ApiClient) =>
  queryOptions({
    queryKey: ['whoami'] as const,
    queryFn: () => api.request<Whoami>('GET', '/whoami'),
    staleTime: Number.POSITIVE_INFINITY,
  });
