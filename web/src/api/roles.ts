import type { CreateRoleRequest, Role, RoleList } from '@latchkey/client/types';
import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from './client.ts';

export const rolesQuery = () =>
  queryOptions({
    queryKey: ['roles'] as const,
    queryFn: async () => (await api<RoleList>('GET', '/v1/roles')).items,
  });

function useInvalidateRoles() {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: ['roles'] });
}

export function useSaveRole() {
  const invalidate = useInvalidateRoles();
  return useMutation({
    mutationFn: ({ body, existing }: { body: CreateRoleRequest; existing?: Role }) =>
      existing
        ? api<Role>('PUT', `/v1/roles/${encodeURIComponent(existing.name)}`, {
            body: { description: body.description, permissions: body.permissions },
            headers: existing.version ? { 'if-match': `"${existing.version}"` } : {},
          })
        : api<Role>('POST', '/v1/roles', { body }),
    onSuccess: invalidate,
  });
}

export function useDeleteRole() {
  const invalidate = useInvalidateRoles();
  return useMutation({
    mutationFn: (name: string) => api<void>('DELETE', `/v1/roles/${encodeURIComponent(name)}`),
    onSuccess: invalidate,
  });
}
