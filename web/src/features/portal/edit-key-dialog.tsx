import type { ApiKey, UpdateKeyRequest } from '@latchkey/client/types';
import { type FormEvent, useRef, useState } from 'react';
import { useUpdateKey } from '../../api/keys.ts';
import { Dialog } from '../../components/dialog.tsx';
import { FormError, fieldErrors, useFocusFirstInvalid } from '../../components/field-errors.tsx';
import { isStale, StaleKey } from '../../components/keys/edit-key-dialog.tsx';
import { TextField } from '../../components/text-field.tsx';
import { KEEP_ROLES, RoleField } from './role-field.tsx';
import { usePortalSession } from './session.tsx';

const FIELDS = ['name', 'roles'] as const;

/** Edit in the portal: the key's name and role (PATCH with `If-Match`, as the dashboard's). */
export function EditKeyDialog({ apiKey, onClose }: { apiKey: ApiKey; onClose: () => void }) {
  const [base, setBase] = useState(apiKey);
  return (
    <Dialog title={`Edit ${base.name}`} onClose={onClose}>
      <EditForm key={base.version} base={base} onReloaded={setBase} onClose={onClose} />
    </Dialog>
  );
}

function EditForm({
  base,
  onReloaded,
  onClose,
}: {
  base: ApiKey;
  onReloaded: (key: ApiKey) => void;
  onClose: () => void;
}) {
  const session = usePortalSession();
  const update = useUpdateKey();
  const [name, setName] = useState(base.name);
  const single = base.roles.length === 1 && session.roles.includes(base.roles[0] as string);
  const [role, setRole] = useState(single ? (base.roles[0] as string) : KEEP_ROLES);
  const form = useRef<HTMLFormElement>(null);
  const errors = fieldErrors(update.error, FIELDS);
  const stale = isStale(update.error);
  useFocusFirstInvalid(form, update.error);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const body: UpdateKeyRequest = {};
    if (name.trim() !== base.name) body.name = name.trim();
    if (role !== KEEP_ROLES && !(base.roles.length === 1 && base.roles[0] === role)) body.roles = [role];
    if (Object.keys(body).length === 0) {
      onClose();
      return;
    }
    update.mutate({ key: base, body }, { onSuccess: onClose });
  };

  return (
    <form ref={form} className="form" onSubmit={submit}>
      <dl className="facts">
        <div>
          <dt>Key ID</dt>
          <dd>
            <code>{base.keyId}</code> <span className="muted small">(cannot be changed)</span>
          </dd>
        </div>
        <div>
          <dt>Secret</dt>
          <dd className="muted">Not retrievable: it was shown once, when the key was created.</dd>
        </div>
      </dl>
      <TextField label="Key Name" value={name} onChange={setName} required error={errors.of('name')} />
      <RoleField
        roles={session.roles}
        value={role}
        onChange={setRole}
        current={base.roles}
        error={errors.of('roles')}
      />
      {stale && <StaleKey keyId={base.keyId} onReloaded={onReloaded} />}
      <div className="dialog-actions">
        {!stale && <FormError error={update.error} prefix="The changes were not saved" errors={errors} />}
        <button type="button" className="button" onClick={onClose}>
          Cancel
        </button>
        <button type="submit" className="button button-primary" disabled={update.isPending}>
          {update.isPending ? 'Saving…' : 'Save Changes'}
        </button>
      </div>
    </form>
  );
}
