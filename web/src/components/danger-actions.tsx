/** A destructive dialog's buttons: Cancel, and the action named by what it does ("Revoke Key"). */
export function DangerActions({
  label,
  pendingLabel = label,
  pending,
  onCancel,
  onConfirm,
}: {
  label: string;
  pendingLabel?: string;
  pending: boolean;
  onCancel: () => void;
  onConfirm: () => void;
}) {
  return (
    <div className="dialog-actions">
      <button type="button" className="button" onClick={onCancel}>
        Cancel
      </button>
      <button type="button" className="button button-danger" disabled={pending} onClick={onConfirm}>
        {pending ? pendingLabel : label}
      </button>
    </div>
  );
}
