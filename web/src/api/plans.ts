import type { KeyQuota, PlanList } from '@latchkey/client/types';
import { queryOptions } from '@tanstack/react-query';
import type { ApiClient } from './client.ts';
import { keyPath, keyQueryKeys } from './keys.ts';

/** The configured usage plans (GET /v1/plans); they change only with the deployment. */
export const plansQuery = (api: ApiClient) =>
  queryOptions({
    queryKey: ['plans'] as const,
    queryFn: () => api.request<PlanList>('GET', '/plans'),
    staleTime: 5 * 60_000,
  });

/** Under the key's detail, so invalidating the key refreshes its quota too. */
export const keyQuotaQuery = (api: ApiClient, keyId: string) =>
  queryOptions({
    queryKey: keyQueryKeys.quota(keyId),
    queryFn: () => api.request<KeyQuota>('GET', `${keyPath(keyId)}/quota`),
  });
