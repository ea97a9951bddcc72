import type { KeyScope, PortalSession } from '@latchkey/client/types';
import { createContext, useContext } from 'react';
import type { PortalPermission } from '../../api/portal.ts';
import type { KeyAction } from '../../components/keys/key-actions.tsx';

const SessionContext = createContext<PortalSession | null>(null);

/** The portal session the pages below belong to (the shell reads it once, before any page). */
export const PortalSessionProvider = SessionContext.Provider;

export function usePortalSession(): PortalSession {
  const session = useContext(SessionContext);
  if (!session) throw new Error('usePortalSession outside PortalSessionProvider');
  return session;
}

export const may = (session: PortalSession, permission: PortalPermission) =>
  session.permissions.includes(permission);

/**
 * The key actions the session's permissions allow, as the API checks them: edit needs update,
 * revoke and delete need delete, rotate (a new key for an old one) needs create and delete.
 */
export function allowedKeyActions(session: PortalSession): ReadonlySet<KeyAction> {
  const allowed = new Set<KeyAction>();
  if (may(session, 'api.key.update')) allowed.add('edit');
  if (may(session, 'api.key.create') && may(session, 'api.key.delete')) allowed.add('rotate');
  if (may(session, 'api.key.delete')) {
    allowed.add('revoke');
    allowed.add('delete');
  }
  return allowed;
}

/** Which keys the page lists, in a sentence's words: "the workspace ws-1". */
export function scopeInWords(scope: KeyScope): string {
  if ('workspaceId' in scope) return `the workspace ${scope.workspaceId}`;
  if (scope.workspaceIds === '*') return `every workspace of the organization ${scope.organizationId}`;
  const list = scope.workspaceIds.join(', ');
  return `the organization ${scope.organizationId} (${scope.workspaceIds.length === 1 ? 'workspace' : 'workspaces'} ${list})`;
}
