import type { ApiKey, UpdateKeyRequest } from '@latchkey/client/types';
import { useQueryClient } from '@tanstack/react-query';
import { type ComponentType, type FormEvent, type ReactNode, useRef, useState } from 'react';
import { useApi } from '../../api/client.ts';
import { keyDetailQuery, useUpdateKey } from '../../api/keys.ts';
import { hasStatus } from '../../lib/api-error.ts';
import { formatDate, splitList } from '../../lib/format.ts';
import { Dialog } from '../dialog.tsx';
import { ErrorMessage } from '../error-message.tsx';
import { type FieldErrors, FormError, fieldErrors, useFocusFirstInvalid } from '../field-errors.tsx';
import { TextField } from '../text-field.tsx';
import { ExpiryPicker, type ExpiryValue, expiresAtOf, RolePicker } from './fields.tsx';
import { PlanPicker } from './plan-picker.tsx';

/** The PATCH body's fields this dialog shows, as the API names them in a refusal. */
const FIELDS = ['description', 'roles', 'permissions', 'expiresAt', 'ipAllowlist', 'plan'] as const;

const sameList = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((item, i) => item === b[i]);

/** What an Edit dialog's form is given: the key as read, and how to start again from a newer one. */
export interface KeyEditFormProps {
  base: ApiKey;
  onReloaded: (key: ApiKey) => void;
  onClose: () => void;
}

/**
 * An Edit dialog around a form that starts from the key as read; a reload after a 412 starts the
 * form again from the current version.
 */
export function KeyEditDialog({
  apiKey,
  onClose,
  wide,
  Form,
}: {
  apiKey: ApiKey;
  onClose: () => void;
  wide?: boolean;
  Form: ComponentType<KeyEditFormProps>;
}) {
  const [base, setBase] = useState(apiKey);
  return (
    <Dialog title={`Edit ${base.name}`} onClose={onClose} wide={wide}>
      <Form key={base.version} base={base} onReloaded={setBase} onClose={onClose} />
    </Dialog>
  );
}

/** What the caller's fields change, besides the name, and its lists as sent. */
interface KeyChanges {
  readonly body: Omit<UpdateKeyRequest, 'name'>;
  readonly sent?: Readonly<Record<string, readonly string[]>>;
}

/**
 * Edit: the key's ID and secret as facts, Key Name, the caller's fields, then PATCH with
 * `If-Match: "<version>"` of only what changed (nothing changed just closes); a 412 means someone
 * else changed the key meanwhile.
 */
export function EditKeyForm({
  base,
  onReloaded,
  onClose,
  fields,
  secretNote,
  changes,
  children,
}: KeyEditFormProps & {
  /** The caller's fields as the API names them in a refusal (the name is the form's). */
  fields: readonly string[];
  /** The Secret fact's words. */
  secretNote: string;
  /** What the caller's fields change, at submit. */
  changes: () => KeyChanges;
  /** The caller's fields, below Key Name. */
  children: (errors: FieldErrors) => ReactNode;
}) {
  const update = useUpdateKey();
  const [name, setName] = useState(base.name);
  const stale = isStale(update.error);
  const [sent, setSent] = useState<Readonly<Record<string, readonly string[]>>>({});
  const form = useRef<HTMLFormElement>(null);
  const errors = fieldErrors(update.error, ['name', ...fields], sent);
  useFocusFirstInvalid(form, update.error);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const rest = changes();
    const body: UpdateKeyRequest = {
      ...(name.trim() !== base.name ? { name: name.trim() } : {}),
      ...rest.body,
    };
    setSent(rest.sent ?? {});
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
          <dd className="muted">{secretNote}</dd>
        </div>
      </dl>
      <TextField label="Key Name" value={name} onChange={setName} required error={errors.of('name')} />
      {children(errors)}
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

/** Edit, for an operator: every field a PATCH may change. */
export function EditKeyDialog({ apiKey, onClose }: { apiKey: ApiKey; onClose: () => void }) {
  return <KeyEditDialog apiKey={apiKey} onClose={onClose} wide Form={EditForm} />;
}

function EditForm(props: KeyEditFormProps) {
  const { base } = props;
  const [description, setDescription] = useState(base.description ?? '');
  const [roles, setRoles] = useState(base.roles);
  const [permissions, setPermissions] = useState(base.permissions.join(', '));
  const [expiry, setExpiry] = useState<ExpiryValue>({ choice: 'keep', date: '' });
  const [ipAllowlist, setIpAllowlist] = useState((base.ipAllowlist ?? []).join(', '));
  const [plan, setPlan] = useState(base.plan ?? '');

  const changes = (): KeyChanges => {
    const body: Omit<UpdateKeyRequest, 'name'> = {};
    if (description.trim() !== (base.description ?? '')) body.description = description.trim() || null;
    if (!sameList(roles, base.roles)) body.roles = roles;
    const perms = splitList(permissions);
    if (!sameList(perms, base.permissions)) body.permissions = perms;
    const expiresAt = expiresAtOf(expiry);
    if (expiresAt !== undefined) body.expiresAt = expiresAt;
    const ips = splitList(ipAllowlist);
    if (!sameList(ips, base.ipAllowlist ?? [])) body.ipAllowlist = ips.length ? ips : null;
    if (plan !== (base.plan ?? '')) body.plan = plan || null;
    return { body, sent: { ipAllowlist: ips, permissions: perms } };
  };

  return (
    <EditKeyForm
      {...props}
      fields={FIELDS}
      secretNote="Not retrievable: it was shown once, at creation. Rotate the key for a new one."
      changes={changes}
    >
      {(errors) => (
        <>
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
        </>
      )}
    </EditKeyForm>
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
