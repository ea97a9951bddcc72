import { createContext, type ReactNode, useCallback, useContext, useEffect, useRef, useState } from 'react';

export interface Toast {
  readonly message: string;
  /** One way to take the action back ("Undo"). */
  readonly action?: { readonly label: string; readonly onClick: () => void };
}

const ToastContext = createContext<(toast: Toast) => void>(() => undefined);

/** Shows a toast: the confirmation of a one-click action, with its way back. */
export const useToast = () => useContext(ToastContext);

/** How long a toast stays; never while the pointer or focus is on it. */
const SHOWN_MS = 8_000;

/**
 * One toast at a time, in a polite live region that is always in the page (so screen readers
 * announce what is put in it). It stays while hovered or focused, and has a close button.
 */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [toast, setToast] = useState<(Toast & { id: number }) | null>(null);
  const [held, setHeld] = useState(false);
  const next = useRef(0);
  const show = useCallback((t: Toast) => setToast({ ...t, id: ++next.current }), []);
  useEffect(() => {
    if (!toast || held) return;
    const timer = setTimeout(() => setToast(null), SHOWN_MS);
    return () => clearTimeout(timer);
  }, [toast, held]);
  return (
    <ToastContext.Provider value={show}>
      {children}
      <section
        className="toast-region"
        aria-label="Notifications"
        role="status"
        aria-live="polite"
        onMouseEnter={() => setHeld(true)}
        onMouseLeave={() => setHeld(false)}
        onFocus={() => setHeld(true)}
        onBlur={() => setHeld(false)}
      >
        {toast && (
          <div className="toast" key={toast.id}>
            <p>{toast.message}</p>
            {toast.action && (
              <button
                type="button"
                className="button button-small toast-action"
                onClick={() => {
                  setToast(null);
                  setHeld(false);
                  toast.action?.onClick();
                }}
              >
                {toast.action.label}
              </button>
            )}
            <button
              type="button"
              className="icon-button toast-close"
              aria-label="Dismiss"
              onClick={() => {
                setToast(null);
                setHeld(false);
              }}
            >
              ×
            </button>
          </div>
        )}
      </section>
    </ToastContext.Provider>
  );
}
