import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { type ApiClient, useApi } from './client.ts';
import type { KeyScope } from './types.ts';

export type PortalPermission = 'api.key.view' | 'api.key.create' | 'api.key.update' | 'api.key.delete';

/** GET /portal/api/session: who the page is for, and what the session lets them do. */
export interface PortalSession {
  sessionId: string;
  /** The user in the team's product. */
  subject: string;
  scope: KeyScope;
  permissions: PortalPermission[];
  /** The roles this user may give a key. */
  roles: string[];
  /** The key types this user may create. */
  types: ('personal' | 'service')[];
  personalKeys: 'own' | 'all';
  expiresAt: string;
  returnUrl?: string;
  branding?: { productName: string; logoUrl?: string; accentColor?: string };
}

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
