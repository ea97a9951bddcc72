import type { ApiKey, UpdateKeyRequest } from '@latchkey/client/types';
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useRef, useState } from 'react';
import { useApi } from '../../api/client.ts';
import { keyDetailQuery, useUpdateKey } from '../../api/keys.ts';
import { hasStatus } from '../../lib/api-error.ts';
import { formatDate, splitList } from '../../lib/format.ts';
import { Dialog } from '../dialog.tsx';
import { ErrorMessage } from '../error-message.tsx';
import { FormError, fieldErrors, useFocusFirstInvalid } from '../field-errors.tsx';
import { TextField } from '../text-field.tsx';
import { ExpiryPicker, type ExpiryValue, expiresAtOf, RolePicker } from './fields.tsx';
import { PlanPicker } from './plan-picker.tsx';

/** The PATCH body's fields, as the API names them in a refusal. */
const FIELDS = ['name', 'description', 'roles', 'permissions', 'expiresAt', 'ipAllowlist', 'plan'] as const;

const sameList = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((item, i) => item === b[i]);

/** Edit: PATCH with `If-Match: "<version>"`; a 412 means someone else changed the key meanwhile. */
export function EditKeyDialog({ apiKey, onClose }: { apiKey: ApiKey; onClose: () => void }) {
  const [base, setBase] = useState(apiKey);
  return (
    <Dialog title={`Edit ${base.name}`} onClose={onClose} wide>
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
  const update = useUpdateKey();
  const [name, setName] = useState(base.name);
  const [description, setDescription] = useState(base.description ?? '');
  const [roles, setRoles] = useState(base.roles);
  const [permissions, setPermissions] = useState(base.permissions.join(', '));
  const [expiry, setExpiry] = useState<ExpiryValue>({ choice: 'keep', date: '' });
  const [ipAllowlist, setIpAllowlist] = useState((base.ipAllowlist ?? []).join(', '));
  const [plan, setPlan] = useState(base.plan ?? '');
  const stale = isStale(update.error);
  const [sent, setSent] = useState<Record<string, string[]>>({});
  const form = useRef<HTMLFormElement>(null);
  const errors = fieldErrors(update.error, FIELDS, sent);
  useFocusFirstInvalid(form, update.error);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const body: UpdateKeyRequest = {};
    if (name.trim() !== base.name) body.name = name.trim();
    if (description.trim() !== (base.description ?? '')) body.description = description.trim() || null;
    if (!sameList(roles, base.roles)) body.roles = roles;
    const perms = splitList(permissions);
    if (!sameList(perms, base.permissions)) body.permissions = perms;
    const expiresAt = expiresAtOf(expiry);
    if (expiresAt !== undefined) body.expiresAt = expiresAt;
    const ips = splitList(ipAllowlist);
    if (!sameList(ips, base.ipAllowlist ?? [])) body.ipAllowlist = ips.length ? ips : null;
    setSent({ ipAllowlist: ips, permissions: perms });
    if (plan !== (base.plan ?? '')) body.plan = plan || null;
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
          <dd className="muted">
            Not retrievable: it was shown once, at creation. Rotate the key for a new one.
          </dd>
        </div>
      </dl>
      <TextField label="Key Name" value={name} onChange={setName} required error={errors.of('name')} />
      <TextField
        label="Description"
        value={description}
        onChange={setDescription}
        multiline
        error={errors.of('description')}
      />
      <RolePicker value={roles} onChange={setRoles} error={errors.of('roles')} />
      <TextField
        label="Permissions"
        value={permissions}
        onChange={setPermissions}
        multiline
        hint="Permissions granted directly, separated by commas or spaces."
        error={errors.of('permissions')}
      />
      <ExpiryPicker
        value={expiry}
        onChange={setExpiry}
        current={base.expiresAt ? formatDate(base.expiresAt) : 'never'}
        error={errors.of('expiresAt')}
      />
      <TextField
        label="IP allowlist"
        value={ipAllowlist}
        onChange={setIpAllowlist}
        multiline
        hint="IPv4/IPv6 addresses or CIDRs; empty allows every address."
        error={errors.of('ipAllowlist')}
      />
      <PlanPicker value={plan} onChange={setPlan} error={errors.of('plan')} />
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

/**
 * A save refused with 412: someone changed the key after the form was opened. Nothing was saved;
 * Reload key fetches the current version, and the form starts again from it.
 */
export function StaleKey({ keyId, onReloaded }: { keyId: string; onReloaded: (key: ApiKey) => void }) {
  const client = useQueryClient();
  const api = useApi();
  const [reloading, setReloading] = useState<unknown>(null);
  const reload = async () => {
    setReloading(null);
    try {
      await client.invalidateQueries({ queryKey: keyDetailQuery(api, keyId).queryKey });
      onReloaded(await client.fetchQuery(keyDetailQuery(api, keyId)));
    } catch (error) {
      setReloading(error);
    }
  };
  return (
    <>
      <div className="error" role="alert">
        <p>
          Someone else changed this key after you opened it, so your changes were not saved. Reload it to see
          the current version, then make your changes again.
        </p>
        <button type="button" className="button" onClick={reload}>
          Reload key
        </button>
      </div>
      <ErrorMessage error={reloading} prefix="The key could not be reloaded" />
    </>
  );
}

/** A save answered 412 Precondition Failed: the key changed since the form read it. */
export const isStale = (error: unknown) => hasStatus(error, 412);
