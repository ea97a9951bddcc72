import type { WhoAmI } from '@latchkey/client/types';
import { queryOptions } from '@tanstack/react-query';
import { api } from './client.ts';

export const whoamiQuery = () =>
  queryOptions({
    queryKey: ['whoami'] as const,
    queryFn: () => api<WhoAmI>('GET', '/v1/whoami'),
    staleTime: Number.POSITIVE_INFINITY,
  });
