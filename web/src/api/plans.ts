import { queryOptions } from '@tanstack/react-query';
import { api } from './client.ts';
import type { Plans, Quota } from './types.ts';

/** The configured usage plans (GET /v1/plans); they change only with the deployment. */
export const plansQuery = () =>
  queryOptions({
    queryKey: ['plans'] as const,
    queryFn: () => api<Plans>('GET', '/v1/plans'),
    staleTime: 5 * 60_000,
  });

/** Under the key's detail, so invalidating the key refreshes its quota too. */
export const keyQuotaQuery = (keyId: string) =>
  queryOptions({
    queryKey: ['keys', 'detail', keyId, 'quota'] as const,
    queryFn: () => api<Quota>('GET', `/v1/keys/${encodeURIComponent(keyId)}/quota`),
  });
