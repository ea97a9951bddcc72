import type { CreatedKey, CreateKeyRequest, PortalCreateKeyRequest } from '@latchkey/client/types';
import { type FormEvent, type ReactNode, useRef, useState } from 'react';
import { useCreateKey } from '../../api/keys.ts';
import { splitList } from '../../lib/format.ts';
import { Dialog } from '../dialog.tsx';
import { type FieldErrors, FormError, fieldErrors, useFocusFirstInvalid } from '../field-errors.tsx';
import { TextField } from '../text-field.tsx';
import { ExpiryPicker, type ExpiryValue, expiresAtOf } from './fields.tsx';
import { SecretOnceDialog } from './secret-once.tsx';

/** The create body's fields the form fills itself. */
type FormFields = 'name' | 'expiresAt' | 'ipAllowlist';

/** What the caller adds to the body, and its lists as sent (so a refusal can name an entry). */
interface CreateBodyPart {
  readonly body: Omit<CreateKeyRequest | PortalCreateKeyRequest, FormFields>;
  readonly sent?: Readonly<Record<string, readonly string[]>>;
}

/**
 * Create API Key: Key Name, the caller's fields, Expires and IP allowlist, then, in the same
 * dialog, the secret once. The created key and its secret are held in this component's state
 * only and dropped when it closes.
 */
export function CreateKeyForm({
  fields,
  namePlaceholder,
  ipHint,
  submitLabel,
  onClose,
  body,
  children,
  after,
}: {
  /** The caller's fields as the API names them in a refusal (name, expiry and IP list are the form's). */
  fields: readonly string[];
  namePlaceholder: string;
  ipHint: string;
  submitLabel: string;
  onClose: () => void;
  /** The rest of the body, from the caller's state, at submit. */
  body: () => CreateBodyPart;
  /** The caller's fields between Key Name and Expires. */
  children: (errors: FieldErrors) => ReactNode;
  /** The caller's fields after IP allowlist. */
  after?: (errors: FieldErrors) => ReactNode;
}) {
  const create = useCreateKey();
  const [created, setCreated] = useState<CreatedKey | null>(null);
  const [name, setName] = useState('');
  const [expiry, setExpiry] = useState<ExpiryValue>({ choice: 'never', date: '' });
  const [ipAllowlist, setIpAllowlist] = useState('');
  /** The lists as last sent, so an error about one entry can name it. */
  const [sent, setSent] = useState<Readonly<Record<string, readonly string[]>>>({});
  const form = useRef<HTMLFormElement>(null);
  const errors = fieldErrors(create.error, ['name', ...fields, 'expiresAt', 'ipAllowlist'], sent);
  useFocusFirstInvalid(form, create.error);

  const close = () => {
    setCreated(null);
    create.reset();
    onClose();
  };

  if (created) {
    return (
      <SecretOnceDialog
        title="API key created"
        keyId={created.key.keyId}
        secret={created.secret}
        onDone={close}
      />
    );
  }

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const ips = splitList(ipAllowlist);
    const rest = body();
    setSent({ ipAllowlist: ips, ...rest.sent });
    create.mutate(
      {
        ...(name.trim() ? { name: name.trim() } : {}),
        ...rest.body,
        ...(ips.length ? { ipAllowlist: ips } : {}),
        expiresAt: expiresAtOf(expiry) ?? null,
      },
      {
        onSuccess: (result) => {
          setCreated(result);
          create.reset();
        },
      },
    );
  };

  return (
    <Dialog title="Create API Key" onClose={close} wide>
      <form ref={form} className="form" onSubmit={submit}>
        <TextField
          label="Key Name"
          value={name}
          onChange={setName}
          placeholder={namePlaceholder}
          hint="Optional: the key ID is used if you leave it empty."
          error={errors.of('name')}
        />
        {children(errors)}
        <ExpiryPicker value={expiry} onChange={setExpiry} error={errors.of('expiresAt')} />
        <TextField
          label="IP allowlist"
          value={ipAllowlist}
          onChange={setIpAllowlist}
          multiline
          placeholder="203.0.113.0/24"
          hint={ipHint}
          error={errors.of('ipAllowlist')}
        />
        {after?.(errors)}
        <div className="dialog-actions">
          <FormError error={create.error} prefix="The key was not created" errors={errors} />
          <button type="button" className="button" onClick={close}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={create.isPending}>
            {create.isPending ? 'Creating…' : submitLabel}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
