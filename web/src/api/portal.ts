import type { PortalSession } from '@latchkey/client/types';
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { type ApiClient, useApi } from './client.ts';

/** A permission a portal session may hold (what the page lets its user try). */
export type PortalPermission = PortalSession['permissions'][number];

/** The session never changes while it lasts: read once. */
export const portalSessionQuery = (api: ApiClient) =>
  queryOptions({
    queryKey: ['portal', 'session'] as const,
    queryFn: () => api.request<PortalSession>('GET', '/session'),
    staleTime: Number.POSITIVE_INFINITY,
  });

/** POST /portal/api/logout: ends the session at once (the server clears the cookie). */
export function useSignOut() {
  const api = useApi();
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api.request<void>('POST', '/logout'),
    onSuccess: () => client.clear(),
  });
}
