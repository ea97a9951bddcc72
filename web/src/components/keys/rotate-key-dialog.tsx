import type { ApiKey } from '@latchkey/client/types';
import { type FormEvent, useState } from 'react';
import { type FreshRotation, useRotateKey } from '../../api/keys.ts';
import { formatDateTime } from '../../lib/format.ts';
import { Choice } from '../choice.tsx';
import { Dialog } from '../dialog.tsx';
import { ErrorMessage } from '../error-message.tsx';
import { SecretOnceDialog } from './secret-once.tsx';

const GRACE = [
  { seconds: 0, label: 'None', hint: 'the current key stops working now' },
  { seconds: 3600, label: '1 hour', hint: '' },
  { seconds: 86_400, label: '24 hours', hint: '' },
  { seconds: 604_800, label: '7 days', hint: '' },
];

/** Rotate: a new key with the same settings; the old one works on for the grace period. */
export function RotateKeyDialog({ apiKey, onClose }: { apiKey: ApiKey; onClose: () => void }) {
  const rotate = useRotateKey();
  const [grace, setGrace] = useState(0);
  const [rotated, setRotated] = useState<FreshRotation | null>(null);
  const close = () => {
    setRotated(null);
    rotate.reset();
    onClose();
  };
  if (rotated) {
    const previous = rotated.previous;
    const note =
      previous.status === 'revoked'
        ? `The previous key ${previous.keyId} is revoked.`
        : `The previous key ${previous.keyId} keeps working until ${previous.expiresAt ? formatDateTime(previous.expiresAt) : 'further notice'}.`;
    return (
      <SecretOnceDialog
        title="API key rotated"
        keyId={rotated.key.keyId}
        secret={rotated.secret}
        note={note}
        onDone={close}
      />
    );
  }
  const submit = (event: FormEvent) => {
    event.preventDefault();
    rotate.mutate(
      { keyId: apiKey.keyId, gracePeriodSeconds: grace },
      {
        onSuccess: (result) => {
          setRotated(result);
          rotate.reset();
        },
      },
    );
  };
  return (
    <Dialog title={`Rotate ${apiKey.name}`} onClose={close}>
      <form className="form" onSubmit={submit}>
        <p>
          A new key with the same settings replaces <code>{apiKey.keyId}</code>. Its secret is shown once.
        </p>
        <fieldset className="field">
          <legend>Grace period</legend>
          <div className="radios">
            {GRACE.map((option) => (
              <Choice
                key={option.seconds}
                type="radio"
                name="grace"
                label={option.label}
                hint={option.hint || undefined}
                checked={grace === option.seconds}
                onChange={() => setGrace(option.seconds)}
              />
            ))}
          </div>
        </fieldset>
        <ErrorMessage error={rotate.error} prefix="The key was not rotated" />
        <div className="dialog-actions">
          <button type="button" className="button" onClick={close}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={rotate.isPending}>
            {rotate.isPending ? 'Rotating…' : 'Rotate Key'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
