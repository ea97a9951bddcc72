import type { CreateRoleRequest, Role, RoleList } from '@latchkey/client/types';
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { type ApiClient, ifMatch, useApi } from './client.ts';

export const rolesQuery = (api: ApiClient) =>
  queryOptions({
    queryKey: ['roles'] as const,
    queryFn: async () => (await api.request<RoleList>('GET', '/roles')).items,
  });

function useInvalidateRoles() {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: ['roles'] });
}

export function useSaveRole() {
  const api = useApi();
  const invalidate = useInvalidateRoles();
  return useMutation({
    mutationFn: ({ body, existing }: { body: CreateRoleRequest; existing?: Role }) =>
      existing
        ? api.request<Role>('PUT', `/roles/${encodeURIComponent(existing.name)}`, {
            body: { description: body.description, permissions: body.permissions },
            headers: existing.version ? ifMatch(existing.version) : {},
          })
        : api.request<Role>('POST', '/roles', { body }),
    onSuccess: invalidate,
  });
}

export function useDeleteRole() {
  const api = useApi();
  const invalidate = useInvalidateRoles();
  return useMutation({
    mutationFn: (name: string) => api.request<void>('DELETE', `/roles/${encodeURIComponent(name)}`),
    onSuccess: invalidate,
  });
}
