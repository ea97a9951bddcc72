import { type ReactNode, type SyntheticEvent, useEffect, useId, useRef } from 'react';

interface DialogProps {
  title: string;
  children: ReactNode;
  onClose: () => void;
  /** Escape pressed; the default closes. */
  onCancel?: () => void;
  /** A close (×) button in the header; off where closing must be a deliberate choice. */
  closable?: boolean;
  wide?: boolean;
  describedBy?: string;
}

/**
 * A modal on the native <dialog> and showModal(): the browser moves focus in, keeps it there,
 * and makes the page behind inert. On close, focus goes back to the element that opened it (or
 * to the page heading when that element is gone, e.g. the row of a revoked key).
 */
export function Dialog({
  title,
  children,
  onClose,
  onCancel,
  closable = true,
  wide,
  describedBy,
}: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (dialog && !dialog.open) {
      dialog.showModal();
      // showModal() focuses the first focusable element, the header's close button; start in the
      // body instead: a form's first field, or a confirmation's first (safe) button.
      dialog.querySelector<HTMLElement>('.dialog-body :is(input, select, textarea, button)')?.focus();
    }
    return () => {
      if (dialog?.open) dialog.close();
      const target = opener?.isConnected ? opener : document.getElementById('page-heading');
      target?.focus();
    };
  }, []);
  const cancel = (event: SyntheticEvent) => {
    event.preventDefault();
    (onCancel ?? onClose)();
  };
  return (
    <dialog
      ref={ref}
      className={wide ? 'dialog dialog-wide' : 'dialog'}
      aria-labelledby={titleId}
      aria-describedby={describedBy}
      onCancel={cancel}
    >
      <header className="dialog-header">
        <h2 id={titleId}>{title}</h2>
        {closable && (
          <button type="button" className="icon-button" aria-label="Close" onClick={onClose}>
            ×
          </button>
        )}
      </header>
      <div className="dialog-body">{children}</div>
    </dialog>
  );
}
