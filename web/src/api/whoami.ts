import { queryOptions } from '@tanstack/react-query';
import { api } from './client.ts';

export interface Whoami {
  /** Who the management API says the caller is: the actor in the audit trail and the default owner. */
  actor: string;
  mode: 'local' | 'aws';
}

export const whoamiQuery = () =>
  queryOptions({
    queryKey: ['whoami'] as const,
    queryFn: () => api<Whoami>('GET', '/v1/whoami'),
    staleTime: Number.POSITIVE_INFINITY,
  });
