import type {
  ApiKey,
  AuditPage,
  CreatedKey,
  CreateKeyRequest,
  KeyDetail,
  KeyPage,
  KeyStatus,
  KeyUsage,
  PortalCreateKeyRequest,
  RequestsPage,
  RotatedKey,
  SweepResult,
  UpdateKeyRequest,
} from '@latchkey/client/types';
import {
  type InfiniteData,
  infiniteQueryOptions,
  queryOptions,
  useMutation,
  useQueryClient,
} from '@tanstack/react-query';
import { type ApiClient, ifMatch, useApi } from './client.ts';

/** The statuses a key list can be filtered by. */
export const KEY_STATUSES = [
  'active',
  'inactive',
  'revoked',
  'expired',
] as const satisfies readonly KeyStatus[];
export type KeyStatusFilter = (typeof KEY_STATUSES)[number];

export interface KeyFilters {
  search?: string;
  owner?: string;
  role?: string;
  status?: KeyStatusFilter;
  rotationDue?: boolean;
}

export const PAGE_SIZE = 50;

export const keyPath = (keyId: string) => `/keys/${encodeURIComponent(keyId)}`;

/** Query keys nest, so invalidating ['keys'] refreshes every list and every detail. */
export const keyQueryKeys = {
  all: ['keys'] as const,
  list: (filters: KeyFilters) => ['keys', 'list', filters] as const,
  detail: (keyId: string) => ['keys', 'detail', keyId] as const,
  usage: (keyId: string) => ['keys', 'detail', keyId, 'usage'] as const,
  audit: (keyId: string) => ['keys', 'detail', keyId, 'audit'] as const,
  requests: (keyId: string) => ['keys', 'detail', keyId, 'requests'] as const,
  quota: (keyId: string) => ['keys', 'detail', keyId, 'quota'] as const,
};

export const keysListQuery = (api: ApiClient, filters: KeyFilters) =>
  infiniteQueryOptions({
    queryKey: keyQueryKeys.list(filters),
    queryFn: ({ pageParam }) =>
      api.request<KeyPage>('GET', '/keys', {
        query: {
          search: filters.search,
          owner: filters.owner,
          role: filters.role,
          status: filters.status,
          rotationDue: filters.rotationDue ? 'true' : undefined,
          limit: PAGE_SIZE,
          cursor: pageParam,
        },
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });

export const keyDetailQuery = (api: ApiClient, keyId: string) =>
  queryOptions({
    queryKey: keyQueryKeys.detail(keyId),
    queryFn: () => api.request<KeyDetail>('GET', keyPath(keyId)),
  });

export const keyUsageQuery = (api: ApiClient, keyId: string) =>
  queryOptions({
    queryKey: keyQueryKeys.usage(keyId),
    queryFn: () => api.request<KeyUsage>('GET', `${keyPath(keyId)}/usage`, { query: { days: 30 } }),
  });

/** A key's recent requests, newest first (GET /v1/keys/{keyId}/requests), page by page. */
export const keyRequestsQuery = (api: ApiClient, keyId: string) =>
  infiniteQueryOptions({
    queryKey: keyQueryKeys.requests(keyId),
    queryFn: ({ pageParam }) =>
      api.request<RequestsPage>('GET', `${keyPath(keyId)}/requests`, {
        query: { limit: 50, cursor: pageParam },
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });

/** A key's newest 1,000 requests as the API's CSV. */
export const keyRequestsCsv = (api: ApiClient, keyId: string) =>
  api.request<string>('GET', `${keyPath(keyId)}/requests`, {
    query: { format: 'csv', limit: 1000 },
    headers: { accept: 'text/csv' },
    text: true,
  });

export const keyAuditQuery = (api: ApiClient, keyId: string) =>
  infiniteQueryOptions({
    queryKey: keyQueryKeys.audit(keyId),
    queryFn: ({ pageParam }) =>
      api.request<AuditPage>('GET', '/audit', { query: { keyId, limit: 50, cursor: pageParam } }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });

function useInvalidateKeys() {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: keyQueryKeys.all });
}

/**
 * Create and rotate answer with the secret: their mutations are dropped from the cache as soon
 * as the dialog that holds them unmounts (gcTime 0), so the secret lives only in that dialog.
 */
export function useCreateKey() {
  const api = useApi();
  const client = useQueryClient();
  const invalidate = useInvalidateKeys();
  return useMutation({
    gcTime: 0,
    mutationFn: (body: CreateKeyRequest | PortalCreateKeyRequest) =>
      api.request<CreatedKey>('POST', '/keys', { body }),
    onSuccess: ({ key }) => {
      // The new key heads the unfiltered list at once, from the create answer itself: the list's
      // refetch reads an index, which may not hold it yet. (Only the key: never the secret.)
      client.setQueryData<InfiniteData<KeyPage>>(keyQueryKeys.list({}), (data) => {
        const [first, ...rest] = data?.pages ?? [];
        if (!data || !first || data.pages.some((p) => p.items.some((k) => k.keyId === key.keyId)))
          return data;
        return { ...data, pages: [{ ...first, items: [key, ...first.items] }, ...rest] };
      });
      // Not awaited: the secret is shown at once, while the lists refresh behind the dialog.
      void invalidate();
    },
  });
}

/** A rotation as the dashboard gets it: always with the new secret (it sends no Idempotency-Key). */
export type FreshRotation = RotatedKey & { secret: string };

export function useRotateKey() {
  const api = useApi();
  const invalidate = useInvalidateKeys();
  return useMutation({
    gcTime: 0,
    mutationFn: async ({ keyId, gracePeriodSeconds }: { keyId: string; gracePeriodSeconds: number }) => {
      const rotated = await api.request<RotatedKey>('POST', `${keyPath(keyId)}/rotate`, {
        body: { gracePeriodSeconds },
      });
      // Only a replay under an Idempotency-Key answers without the secret, and the dashboard sends none.
      if (rotated.secret === null) throw new Error('the rotation answered without the new secret');
      return { ...rotated, secret: rotated.secret } satisfies FreshRotation;
    },
    onSuccess: () => void invalidate(),
  });
}

export function useUpdateKey() {
  const api = useApi();
  const invalidate = useInvalidateKeys();
  return useMutation({
    mutationFn: ({ key, body }: { key: ApiKey; body: UpdateKeyRequest }) =>
      api.request<ApiKey>('PATCH', keyPath(key.keyId), {
        body,
        headers: ifMatch(key.version),
      }),
    onSuccess: invalidate,
  });
}

export function useSetEnabled() {
  const api = useApi();
  const invalidate = useInvalidateKeys();
  return useMutation({
    mutationFn: ({ keyId, enabled }: { keyId: string; enabled: boolean }) =>
      api.request<ApiKey>('PATCH', keyPath(keyId), { body: { enabled } }),
    onSuccess: invalidate,
  });
}

export function useRevokeKey() {
  const api = useApi();
  const invalidate = useInvalidateKeys();
  return useMutation({
    mutationFn: (keyId: string) => api.request<ApiKey>('POST', `${keyPath(keyId)}/revoke`),
    onSuccess: invalidate,
  });
}

/**
 * Delete refreshes every list and key but the deleted one, and does not wait for that: a page
 * showing the deleted key is left at once (the caller's onSuccess), not refetched into a 404.
 */
export function useDeleteKey() {
  const api = useApi();
  const client = useQueryClient();
  return useMutation({
    mutationFn: (keyId: string) => api.request<void>('DELETE', keyPath(keyId)),
    onSuccess: (_, keyId) => {
      const gone = keyQueryKeys.detail(keyId);
      void client.invalidateQueries({
        queryKey: keyQueryKeys.all,
        predicate: (query) => !gone.every((part, i) => query.queryKey[i] === part),
      });
    },
  });
}

export function useSweep() {
  const api = useApi();
  const invalidate = useInvalidateKeys();
  return useMutation({
    mutationFn: ({ dryRun, asOf }: { dryRun: boolean; asOf?: string }) =>
      api.request<SweepResult>('POST', '/rotation/sweep', { body: { dryRun, ...(asOf ? { asOf } : {}) } }),
    onSuccess: (result) => (result.dryRun ? undefined : invalidate()),
  });
}
