import type { ApiKey } from '@latchkey/client/types';
import { useDeleteKey, useRevokeKey } from '../../api/keys.ts';
import { DangerActions } from '../danger-actions.tsx';
import { Dialog } from '../dialog.tsx';
import { ErrorMessage } from '../error-message.tsx';

/** Revoke: the consequence stated, confirmed with "Revoke Key". */
export function RevokeKeyDialog({ apiKey, onClose }: { apiKey: ApiKey; onClose: () => void }) {
  const revoke = useRevokeKey();
  return (
    <Dialog title="Revoke API key" onClose={onClose} describedBy="revoke-consequence">
      <p id="revoke-consequence" className="warning warning-strong">
        Applications using this key will stop working.
      </p>
      <p>
        <strong>{apiKey.name}</strong> (<code>{apiKey.keyId}</code>) is refused from the next request on.
        Revoking cannot be undone.
      </p>
      <ErrorMessage error={revoke.error} prefix="The key was not revoked" />
      <DangerActions
        label="Revoke Key"
        pendingLabel="Revoking…"
        pending={revoke.isPending}
        onCancel={onClose}
        onConfirm={() => revoke.mutate(apiKey.keyId, { onSuccess: onClose })}
      />
    </Dialog>
  );
}

/** Delete: the record goes (revoked first), confirmed with "Delete Key". */
export function DeleteKeyDialog({
  apiKey,
  onClose,
  onDeleted,
}: {
  apiKey: ApiKey;
  onClose: () => void;
  onDeleted?: () => void;
}) {
  const remove = useDeleteKey();
  return (
    <Dialog title="Delete API key" onClose={onClose} describedBy="delete-consequence">
      <p id="delete-consequence" className="warning warning-strong">
        {apiKey.status === 'revoked'
          ? 'The key is already revoked; its record and details will be removed.'
          : 'Applications using this key will stop working.'}
      </p>
      <p>
        <strong>{apiKey.name}</strong> (<code>{apiKey.keyId}</code>) is revoked and its record removed. Its
        audit history stays. This cannot be undone.
      </p>
      <ErrorMessage error={remove.error} prefix="The key was not deleted" />
      <DangerActions
        label="Delete Key"
        pendingLabel="Deleting…"
        pending={remove.isPending}
        onCancel={onClose}
        onConfirm={() =>
          remove.mutate(apiKey.keyId, {
            onSuccess: () => {
              onClose();
              onDeleted?.();
            },
          })
        }
      />
    </Dialog>
  );
}
