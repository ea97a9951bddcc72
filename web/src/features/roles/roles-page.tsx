import type { CreateRoleRequest, KeyPage, Role } from '@latchkey/client/types';
import { useQueries, useQuery } from '@tanstack/react-query';
import { type FormEvent, useRef, useState } from 'react';
import { type ApiClient, type ApiError, useApi } from '../../api/client.ts';
import { keysListQuery } from '../../api/keys.ts';
import { rolesQuery, useDeleteRole, useSaveRole } from '../../api/roles.ts';
import { Chips } from '../../components/badges.tsx';
import { DangerActions } from '../../components/danger-actions.tsx';
import { Dialog } from '../../components/dialog.tsx';
import { ErrorMessage } from '../../components/error-message.tsx';
import { FormError, fieldErrors, useFocusFirstInvalid } from '../../components/field-errors.tsx';
import { ScrollRegion } from '../../components/scroll-region.tsx';
import { TextField } from '../../components/text-field.tsx';
import { hasStatus } from '../../lib/api-error.ts';
import { splitList } from '../../lib/format.ts';
import { Link, withQuery } from '../../lib/router.tsx';

/** Built-in roles carry no counter: count their live keys from the list, a few pages at most. */
const COUNT_PAGES = 5;
async function countKeysWithRole(api: ApiClient, role: string): Promise<{ count: number; more: boolean }> {
  let cursor: string | undefined;
  let count = 0;
  for (let page = 0; page < COUNT_PAGES; page++) {
    const result = await api.request<KeyPage>('GET', '/keys', { query: { role, limit: 100, cursor } });
    count += result.items.filter((k) => k.status !== 'revoked').length;
    if (!result.nextCursor) return { count, more: false };
    cursor = result.nextCursor;
  }
  return { count, more: true };
}

/** Descriptions mark permissions with backticks, as in Markdown: show those as code. */
function WithCode({ text }: { text: string }) {
  return (
    <>
      {text.split('`').map((part, i) =>
        // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one fixed string
        i % 2 === 1 ? <code key={i}>{part}</code> : <span key={i}>{part}</span>,
      )}
    </>
  );
}

type Open = { kind: 'create' } | { kind: 'edit'; role: Role } | { kind: 'delete'; role: Role } | null;

export function RolesPage() {
  const api = useApi();
  const roles = useQuery(rolesQuery(api));
  const [open, setOpen] = useState<Open>(null);
  const builtins = (roles.data ?? []).filter((r) => r.builtin);
  const counts = useQueries({
    queries: builtins.map((r) => ({
      queryKey: [...keysListQuery(api, { role: r.name }).queryKey, 'count'],
      queryFn: () => countKeysWithRole(api, r.name),
    })),
  });
  const usedBy = (role: Role): string => {
    const result = role.builtin
      ? counts[builtins.indexOf(role)]?.data
      : { count: role.keyCount ?? 0, more: false };
    if (!result) return '…';
    return `${result.count}${result.more ? '+' : ''} ${result.count === 1 && !result.more ? 'key' : 'keys'}`;
  };
  const close = () => setOpen(null);
  return (
    <>
      <div className="page-header">
        <div>
          <h1 id="page-heading" tabIndex={-1}>
            Roles
          </h1>
          <p className="muted">
            A key's permissions are the union of its roles' and its own. Built-in roles are fixed; custom
            roles are yours to define.
          </p>
        </div>
        <button type="button" className="button button-primary" onClick={() => setOpen({ kind: 'create' })}>
          Create Role
        </button>
      </div>
      <ErrorMessage error={roles.error} prefix="The roles could not be listed" />
      {roles.isPending && <p role="status">Loading roles…</p>}
      {roles.data && (
        <ScrollRegion label="Roles, scrollable">
          <table className="table">
            <caption className="visually-hidden">Roles</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Description</th>
                <th scope="col">Permissions</th>
                <th scope="col">Kind</th>
                <th scope="col">Used by</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {roles.data.map((role) => {
                const n = usedBy(role);
                return (
                  <tr key={role.name}>
                    <th scope="row" id={`role-${role.name}`}>
                      {role.name}
                    </th>
                    <td>
                      {role.description ? (
                        <WithCode text={role.description} />
                      ) : (
                        <span className="muted">—</span>
                      )}
                    </td>
                    <td>
                      <Chips items={role.permissions} />
                    </td>
                    <td>{role.builtin ? 'Built-in' : 'Custom'}</td>
                    <td className="nowrap">{n}</td>
                    <td>
                      {!role.builtin && (
                        <div className="actions">
                          <button
                            type="button"
                            className="button button-small"
                            aria-describedby={`role-${role.name}`}
                            onClick={() => setOpen({ kind: 'edit', role })}
                          >
                            Edit
                          </button>
                          <button
                            type="button"
                            className="button button-small button-danger-outline"
                            aria-describedby={`role-${role.name}`}
                            onClick={() => setOpen({ kind: 'delete', role })}
                          >
                            Delete
                          </button>
                        </div>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </ScrollRegion>
      )}
      {open?.kind === 'create' && <RoleDialog onClose={close} />}
      {open?.kind === 'edit' && <RoleDialog role={open.role} onClose={close} />}
      {open?.kind === 'delete' && <DeleteRoleDialog role={open.role} onClose={close} />}
    </>
  );
}

function RoleDialog({ role, onClose }: { role?: Role; onClose: () => void }) {
  const save = useSaveRole();
  const [name, setName] = useState(role?.name ?? '');
  const [description, setDescription] = useState(role?.description ?? '');
  const [permissions, setPermissions] = useState((role?.permissions ?? []).join(', '));
  const [sent, setSent] = useState<Record<string, string[]>>({});
  const form = useRef<HTMLFormElement>(null);
  const errors = fieldErrors(save.error, ['name', 'description', 'permissions'], sent);
  useFocusFirstInvalid(form, save.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const body: CreateRoleRequest = {
      name: name.trim(),
      description: description.trim(),
      permissions: splitList(permissions),
    };
    setSent({ permissions: body.permissions });
    save.mutate({ body, existing: role }, { onSuccess: onClose });
  };
  return (
    <Dialog title={role ? `Edit role ${role.name}` : 'Create Role'} onClose={onClose}>
      <form ref={form} className="form" onSubmit={submit}>
        {role ? (
          <p>
            Name: <code>{role.name}</code> <span className="muted small">(cannot be changed)</span>
          </p>
        ) : (
          <TextField
            label="Role Name"
            value={name}
            onChange={setName}
            required
            hint="Lower-case letters, digits, _ : - (e.g. customer-service)."
            error={errors.of('name')}
          />
        )}
        <TextField
          label="Description"
          value={description}
          onChange={setDescription}
          multiline
          error={errors.of('description')}
        />
        <TextField
          label="Permissions"
          value={permissions}
          onChange={setPermissions}
          multiline
          required
          placeholder="orders:read, customers:read"
          hint="resource:action strings, separated by commas or spaces; * matches anything."
          error={errors.of('permissions')}
        />
        <div className="dialog-actions">
          <FormError error={save.error} prefix="The role was not saved" errors={errors} />
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={save.isPending}>
            {role ? 'Save Changes' : 'Create Role'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function DeleteRoleDialog({ role, onClose }: { role: Role; onClose: () => void }) {
  const remove = useDeleteRole();
  const inUse = hasStatus(remove.error, 409);
  return (
    <Dialog title={`Delete role ${role.name}`} onClose={onClose}>
      <p>Keys can no longer be given this role once it is deleted.</p>
      {inUse ? (
        <div className="error" role="alert">
          <p>
            This role is still in use, so it was not deleted: {(remove.error as ApiError).message}. Edit those
            keys to remove the role, then delete it.
          </p>
          <p>
            <Link href={withQuery('/', { role: role.name })}>Show the keys with this role</Link>
          </p>
        </div>
      ) : (
        <ErrorMessage error={remove.error} prefix="The role was not deleted" />
      )}
      <DangerActions
        label="Delete Role"
        pending={remove.isPending}
        onCancel={onClose}
        onConfirm={() => remove.mutate(role.name, { onSuccess: onClose })}
      />
    </Dialog>
  );
}
