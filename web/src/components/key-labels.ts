import type { ApiKey, KeyScope } from '@latchkey/client/types';

/** How a key's scope and type read on the page. */
export function formatScope(scope: KeyScope): string {
  if ('workspaceId' in scope) return `Workspace ${scope.workspaceId}`;
  const which = scope.workspaceIds === '*' ? 'all workspaces' : scope.workspaceIds.join(', ');
  return `Organization ${scope.organizationId} (${which})`;
}

/** The scope in a few words, for a table cell: the workspace, or the organization and its workspaces. */
export function formatScopeShort(scope: KeyScope): string {
  if ('workspaceId' in scope) return scope.workspaceId;
  return `${scope.organizationId}: ${scope.workspaceIds === '*' ? 'all workspaces' : scope.workspaceIds.join(', ')}`;
}

export const TYPE_LABEL: Record<ApiKey['type'], string> = {
  personal: 'Personal',
  service: 'Service',
  canary: 'Canary',
};
