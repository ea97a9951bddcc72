import { type ReactNode, useState } from 'react';
import { useSetEnabled } from '../../api/keys.ts';
import type { ApiKey } from '../../api/types.ts';
import { ErrorMessage } from '../../components/error-message.tsx';
import { DeleteKeyDialog, RevokeKeyDialog } from './confirm-dialogs.tsx';
import { EditKeyDialog } from './edit-key-dialog.tsx';
import { RotateKeyDialog } from './rotate-key-dialog.tsx';

export type KeyAction = 'edit' | 'rotate' | 'revoke' | 'delete';
export type OpenKeyDialog = (action: KeyAction, key: ApiKey) => void;

/**
 * The open key dialog, held by the page rather than the row: a rotated or revoked key leaves
 * the table, and its row must not take the dialog (and a secret shown once) with it.
 */
export function useKeyDialogs(onDeleted?: (key: ApiKey) => void): {
  open: OpenKeyDialog;
  dialogs: ReactNode;
} {
  const [state, setState] = useState<{ action: KeyAction; key: ApiKey } | null>(null);
  const close = () => setState(null);
  let dialogs: ReactNode = null;
  if (state?.action === 'edit') dialogs = <EditKeyDialog apiKey={state.key} onClose={close} />;
  if (state?.action === 'rotate') dialogs = <RotateKeyDialog apiKey={state.key} onClose={close} />;
  if (state?.action === 'revoke') dialogs = <RevokeKeyDialog apiKey={state.key} onClose={close} />;
  if (state?.action === 'delete') {
    const key = state.key;
    dialogs = <DeleteKeyDialog apiKey={key} onClose={close} onDeleted={() => onDeleted?.(key)} />;
  }
  return { open: (action, key) => setState({ action, key }), dialogs };
}

/**
 * A key's actions: Edit, Disable/Enable, Rotate, Revoke, Delete. `describedBy` names the key the
 * buttons act on, for screen readers going through the table.
 */
export function KeyActions({
  apiKey,
  describedBy,
  onOpen,
}: {
  apiKey: ApiKey;
  describedBy?: string;
  onOpen: OpenKeyDialog;
}) {
  const setEnabled = useSetEnabled();
  const live = apiKey.status !== 'revoked';
  const button = (label: string, onClick: () => void, danger = false) => (
    <button
      type="button"
      className={danger ? 'button button-small button-danger-outline' : 'button button-small'}
      aria-describedby={describedBy}
      onClick={onClick}
      disabled={setEnabled.isPending && (label === 'Enable' || label === 'Disable')}
    >
      {label}
    </button>
  );
  return (
    <div className="key-actions">
      <div className="actions">
        {live && button('Edit', () => onOpen('edit', apiKey))}
        {live &&
          (apiKey.status === 'inactive'
            ? button('Enable', () => setEnabled.mutate({ keyId: apiKey.keyId, enabled: true }))
            : button('Disable', () => setEnabled.mutate({ keyId: apiKey.keyId, enabled: false })))}
        {live && !apiKey.rotatedTo && button('Rotate', () => onOpen('rotate', apiKey))}
        {live && button('Revoke', () => onOpen('revoke', apiKey), true)}
        {button('Delete', () => onOpen('delete', apiKey), true)}
      </div>
      <ErrorMessage
        error={setEnabled.error}
        prefix={apiKey.status === 'inactive' ? 'Not enabled' : 'Not disabled'}
      />
    </div>
  );
}
