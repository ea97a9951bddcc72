import type { ApiKey } from '@latchkey/client/types';
import { type ComponentType, createContext, type ReactNode, useContext, useState } from 'react';
import { useSetEnabled } from '../../api/keys.ts';
import { ActionsMenu, type MenuAction } from '../actions-menu.tsx';
import { useToast } from '../toast.tsx';
import { DeleteKeyDialog, RevokeKeyDialog } from './confirm-dialogs.tsx';
import { EditKeyDialog } from './edit-key-dialog.tsx';
import { RotateKeyDialog } from './rotate-key-dialog.tsx';

/** What can be done to a key from its row or its page. */
export type KeyAction = 'edit' | 'toggle' | 'rotate' | 'revoke' | 'delete';
/** The actions that open a dialog. */
type KeyDialog = Exclude<KeyAction, 'toggle'>;
export type OpenKeyDialog = (action: KeyDialog, key: ApiKey) => void;

interface KeyActionsConfig {
  /** The actions offered: every one to an operator, to a portal user those the session permits. */
  readonly allowed: ReadonlySet<KeyAction>;
  /** The Edit dialog: every field for an operator, name and role in the portal. */
  readonly EditDialog: ComponentType<{ apiKey: ApiKey; onClose: () => void }>;
}

const KeyActionsContext = createContext<KeyActionsConfig>({
  allowed: new Set<KeyAction>(['edit', 'toggle', 'rotate', 'revoke', 'delete']),
  EditDialog: EditKeyDialog,
});

/** Sets which key actions the pages below offer, and the Edit dialog they open. */
export const KeyActionsProvider = KeyActionsContext.Provider;
export const useKeyActionsConfig = () => useContext(KeyActionsContext);

/**
 * The open key dialog, held by the page rather than the row: a rotated or revoked key leaves
 * the table, and its row must not take the dialog (and a secret shown once) with it.
 */
export function useKeyDialogs(onDeleted?: (key: ApiKey) => void): {
  open: OpenKeyDialog;
  dialogs: ReactNode;
} {
  const { EditDialog } = useKeyActionsConfig();
  const [state, setState] = useState<{ action: KeyDialog; key: ApiKey } | null>(null);
  const close = () => setState(null);
  let dialogs: ReactNode = null;
  if (state?.action === 'edit') dialogs = <EditDialog apiKey={state.key} onClose={close} />;
  if (state?.action === 'rotate') dialogs = <RotateKeyDialog apiKey={state.key} onClose={close} />;
  if (state?.action === 'revoke') dialogs = <RevokeKeyDialog apiKey={state.key} onClose={close} />;
  if (state?.action === 'delete') {
    const key = state.key;
    dialogs = <DeleteKeyDialog apiKey={key} onClose={close} onDeleted={() => onDeleted?.(key)} />;
  }
  return { open: (action, key) => setState({ action, key }), dialogs };
}

/**
 * Disable and Enable act at once, so each says what it did in a toast, with Undo; a failure says
 * so there too, with Retry.
 */
function useToggleEnabled() {
  const setEnabled = useSetEnabled();
  const toast = useToast();
  const change = (key: ApiKey, enabled: boolean, undoable: boolean) => {
    const verb = enabled ? 'enabled' : 'disabled';
    setEnabled.mutate(
      { keyId: key.keyId, enabled },
      {
        onSuccess: () =>
          toast({
            message: undoable ? `${key.name} is ${verb}.` : `${key.name} is ${verb} again.`,
            ...(undoable ? { action: { label: 'Undo', onClick: () => change(key, !enabled, false) } } : {}),
          }),
        onError: (error) =>
          toast({
            message: `${key.name} was not ${verb}: ${error.message}`,
            action: { label: 'Retry', onClick: () => change(key, enabled, undoable) },
          }),
      },
    );
  };
  return {
    pending: setEnabled.isPending,
    toggle: (key: ApiKey) => change(key, key.status === 'inactive', true),
  };
}

/** A key's actions, in the order a menu or a button row shows them, as far as they are allowed. */
function useKeyActionList(apiKey: ApiKey, onOpen: OpenKeyDialog): MenuAction[] {
  const toggle = useToggleEnabled();
  const { allowed } = useKeyActionsConfig();
  const live = apiKey.status !== 'revoked';
  const actions: MenuAction[] = [];
  if (live) {
    if (allowed.has('edit')) actions.push({ label: 'Edit', onSelect: () => onOpen('edit', apiKey) });
    if (allowed.has('toggle'))
      actions.push({
        label: apiKey.status === 'inactive' ? 'Enable' : 'Disable',
        onSelect: () => toggle.toggle(apiKey),
        disabled: toggle.pending,
      });
    if (allowed.has('rotate') && !apiKey.rotatedTo)
      actions.push({ label: 'Rotate', onSelect: () => onOpen('rotate', apiKey) });
    if (allowed.has('revoke'))
      actions.push({ label: 'Revoke', onSelect: () => onOpen('revoke', apiKey), danger: true });
  }
  if (allowed.has('delete'))
    actions.push({ label: 'Delete', onSelect: () => onOpen('delete', apiKey), danger: true });
  return actions;
}

/** A row's actions, behind one "Actions" menu button; `describedBy` names the key they act on. */
export function KeyActionsMenu({
  apiKey,
  describedBy,
  onOpen,
}: {
  apiKey: ApiKey;
  describedBy?: string;
  onOpen: OpenKeyDialog;
}) {
  const actions = useKeyActionList(apiKey, onOpen);
  if (actions.length === 0) return null;
  return <ActionsMenu describedBy={describedBy} actions={actions} />;
}

/** A key's actions as a row of buttons, where there is room for them (the key's own page). */
export function KeyActions({ apiKey, onOpen }: { apiKey: ApiKey; onOpen: OpenKeyDialog }) {
  const actions = useKeyActionList(apiKey, onOpen);
  if (actions.length === 0) return null;
  return (
    <div className="actions key-actions">
      {actions.map((action) => (
        <button
          key={action.label}
          type="button"
          className={action.danger ? 'button button-small button-danger-outline' : 'button button-small'}
          disabled={action.disabled}
          onClick={action.onSelect}
        >
          {action.label}
        </button>
      ))}
    </div>
  );
}
