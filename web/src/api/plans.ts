import type { KeyQuota, PlanList } from '@latchkey/client/types';
import { queryOptions } from '@tanstack/react-query';
import { api } from './client.ts';

/** The configured usage plans (GET /v1/plans); they change only with the deployment. */
export const plansQuery = () =>
  queryOptions({
    queryKey: ['plans'] as const,
    queryFn: () => api<PlanList>('GET', '/v1/plans'),
    staleTime: 5 * 60_000,
  });

/** Under the key's detail, so invalidating the key refreshes its quota too. */
export const keyQuotaQuery = (keyId: string) =>
  queryOptions({
    queryKey: ['keys', 'detail', keyId, 'quota'] as const,
    queryFn: () => api<KeyQuota>('GET', `/v1/keys/${encodeURIComponent(keyId)}/quota`),
  });
