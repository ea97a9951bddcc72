/** A destructive dialog's buttons: Cancel, and the action named by what it does ("Revoke Key"). */
export function DangerActions({
  label,
  pendingLabel = label,
  pending,
  disabled = false,
  onCancel,
  onConfirm,
}: {
  label: string;
  pendingLabel?: string;
  pending: boolean;
  /** Not yet confirmable (a count still to type, say), besides while pending. */
  disabled?: boolean;
  onCancel: () => void;
  onConfirm: () => void;
}) {
  return (
    <div className="dialog-actions">
      <button type="button" className="button" onClick={onCancel}>
        Cancel
      </button>
      <button
        type="button"
        className="button button-danger"
        disabled={pending || disabled}
        onClick={onConfirm}
      >
        {pending ? pendingLabel : label}
      </button>
    </div>
  );
}
