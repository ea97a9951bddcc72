import { useEffect, useId, useRef, useState } from 'react';
import { Dialog } from '../dialog.tsx';

interface SecretOnceProps {
  keyId: string;
  secret: string;
  /** What happened to the key this one replaces, for rotation. */
  note?: string;
  warned: boolean;
  onDone: () => void;
}

async function copy(text: string, field: HTMLInputElement | null): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // Clipboard API refused (permissions): select the field so the user can copy it by hand.
    field?.select();
    return false;
  }
}

/**
 * The secret, shown once: a read-only field, Copy, and "I have copied it", which closes the
 * dialog. The secret lives only in the state of the dialog that created it; nothing stores it.
 */
function SecretOnce({ keyId, secret, note, warned, onDone }: SecretOnceProps) {
  const field = useRef<HTMLInputElement>(null);
  const done = useRef<HTMLButtonElement>(null);
  const [copied, setCopied] = useState<'no' | 'yes' | 'select'>('no');
  const fieldId = useId();
  const warningId = useId();
  useEffect(() => {
    field.current?.focus();
    field.current?.select();
  }, []);
  useEffect(() => {
    if (warned) done.current?.focus();
  }, [warned]);
  return (
    <div className="secret-once">
      <p id={warningId} className={warned ? 'warning warning-strong' : 'warning'}>
        Copy this secret now and store it somewhere safe. It will not be shown again: if you lose it, rotate
        the key.
      </p>
      <label htmlFor={fieldId}>Secret key</label>
      <div className="secret-row">
        <input
          id={fieldId}
          ref={field}
          className="mono"
          readOnly
          value={secret}
          spellCheck={false}
          autoComplete="off"
          aria-describedby={warningId}
          onFocus={(event) => event.currentTarget.select()}
        />
        <button
          type="button"
          className="button"
          onClick={async () => setCopied((await copy(secret, field.current)) ? 'yes' : 'select')}
        >
          Copy
        </button>
      </div>
      <p className="status-line" role="status">
        {copied === 'yes'
          ? 'Copied to the clipboard.'
          : copied === 'select'
            ? 'Selected: press Ctrl+C to copy.'
            : ''}
      </p>
      <dl className="facts">
        <div>
          <dt>Key ID</dt>
          <dd>
            <code>{keyId}</code>
          </dd>
        </div>
      </dl>
      {note && <p>{note}</p>}
      <div className="dialog-actions">
        <button ref={done} type="button" className="button button-primary" onClick={onDone}>
          I have copied it
        </button>
      </div>
    </div>
  );
}

/**
 * The dialog a create or rotation turns into: the secret once, closed only by "I have copied it".
 * Escape does not close it: it marks the warning and moves focus to the way out.
 */
export function SecretOnceDialog({
  title,
  keyId,
  secret,
  note,
  onDone,
}: {
  title: string;
  keyId: string;
  secret: string;
  note?: string;
  onDone: () => void;
}) {
  const [warned, setWarned] = useState(false);
  return (
    <Dialog title={title} onClose={onDone} onCancel={() => setWarned(true)} closable={false}>
      <SecretOnce keyId={keyId} secret={secret} note={note} warned={warned} onDone={onDone} />
    </Dialog>
  );
}
