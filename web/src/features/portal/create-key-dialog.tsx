import type { CreatedKey, KeyScope, PortalCreateKeyRequest, PortalSession } from '@latchkey/client/types';
import { type FormEvent, useId, useRef, useState } from 'react';
import { useCreateKey } from '../../api/keys.ts';
import { Choice } from '../../components/choice.tsx';
import { Dialog } from '../../components/dialog.tsx';
import { FormError, fieldErrors, useFocusFirstInvalid } from '../../components/field-errors.tsx';
import { ExpiryPicker, type ExpiryValue, expiresAtOf } from '../../components/keys/fields.tsx';
import { SecretOnceDialog } from '../../components/keys/secret-once.tsx';
import { FieldError, TextField } from '../../components/text-field.tsx';
import { splitList } from '../../lib/format.ts';
import { RoleField } from './role-field.tsx';
import { usePortalSession } from './session.tsx';

/** The create body's fields the form shows, as the API names them in a refusal. */
const FIELDS = ['name', 'type', 'scope', 'roles', 'expiresAt', 'ipAllowlist'] as const;

type PortalKeyType = PortalSession['types'][number];

/** The role a new key starts with: as the API would choose, `read` where allowed, else the first. */
const defaultRole = (roles: readonly string[]) => (roles.includes('read') ? 'read' : (roles[0] ?? 'read'));

/** An organization session with a list of workspaces: the key may be for some of them. */
const workspaceChoice = (session: PortalSession) =>
  'organizationId' in session.scope &&
  session.scope.workspaceIds !== '*' &&
  session.scope.workspaceIds.length > 1
    ? { organizationId: session.scope.organizationId, workspaceIds: session.scope.workspaceIds }
    : undefined;

/**
 * Create API Key in the portal: only what the session lets its user choose (the type where it
 * allows both, a role from its roles, the workspaces of an organization session), then the
 * secret once in the same dialog. The API sets the scope and the owner itself.
 */
export function CreateKeyDialog({ onClose }: { onClose: () => void }) {
  const session = usePortalSession();
  const create = useCreateKey();
  const [created, setCreated] = useState<CreatedKey | null>(null);
  const [name, setName] = useState('');
  const [type, setType] = useState<PortalKeyType>(session.types.includes('service') ? 'service' : 'personal');
  const organization = workspaceChoice(session);
  const [workspaces, setWorkspaces] = useState<string[]>(organization?.workspaceIds ?? []);
  const [role, setRole] = useState(defaultRole(session.roles));
  const [expiry, setExpiry] = useState<ExpiryValue>({ choice: 'never', date: '' });
  const [ipAllowlist, setIpAllowlist] = useState('');
  const [sent, setSent] = useState<Record<string, string[]>>({});
  const form = useRef<HTMLFormElement>(null);
  const typeErrorId = useId();
  const scopeErrorId = useId();
  const errors = fieldErrors(create.error, FIELDS, sent);
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
    setSent({ ipAllowlist: ips });
    const scope: KeyScope | undefined = organization && {
      organizationId: organization.organizationId,
      workspaceIds: workspaces,
    };
    const body: PortalCreateKeyRequest = {
      ...(name.trim() ? { name: name.trim() } : {}),
      type,
      ...(scope ? { scope } : {}),
      roles: [role],
      permissions: [],
      environment: 'production',
      ...(ips.length ? { ipAllowlist: ips } : {}),
      expiresAt: expiresAtOf(expiry) ?? null,
    };
    create.mutate(body, {
      onSuccess: (result) => {
        setCreated(result);
        create.reset();
      },
    });
  };

  return (
    <Dialog title="Create API Key" onClose={close} wide>
      <form ref={form} className="form" onSubmit={submit}>
        <TextField
          label="Key Name"
          value={name}
          onChange={setName}
          placeholder="e.g. Production server"
          hint="Optional: the key ID is used if you leave it empty."
          error={errors.of('name')}
        />
        {session.types.length > 1 && (
          <fieldset className="field" aria-describedby={errors.of('type') ? typeErrorId : undefined}>
            <legend>Type</legend>
            <div className="radios">
              <Choice
                type="radio"
                name="type"
                label="Service"
                hint="for applications and production systems; not tied to a person"
                checked={type === 'service'}
                onChange={() => setType('service')}
              />
              <Choice
                type="radio"
                name="type"
                label="Personal"
                hint={`tied to your account (${session.subject})`}
                checked={type === 'personal'}
                onChange={() => setType('personal')}
              />
            </div>
            <FieldError id={typeErrorId} error={errors.of('type')} />
          </fieldset>
        )}
        {organization && (
          <fieldset className="field" aria-describedby={errors.of('scope') ? scopeErrorId : undefined}>
            <legend>Workspaces</legend>
            <FieldError id={scopeErrorId} error={errors.of('scope')} />
            <div className="checks">
              {organization.workspaceIds.map((workspace, i) => (
                <Choice
                  key={workspace}
                  type="checkbox"
                  label={workspace}
                  checked={workspaces.includes(workspace)}
                  onChange={(on) =>
                    setWorkspaces(on ? [...workspaces, workspace] : workspaces.filter((w) => w !== workspace))
                  }
                  invalid={Boolean(errors.of('scope')) && i === 0}
                />
              ))}
            </div>
          </fieldset>
        )}
        <RoleField roles={session.roles} value={role} onChange={setRole} error={errors.of('roles')} />
        <ExpiryPicker value={expiry} onChange={setExpiry} error={errors.of('expiresAt')} />
        <TextField
          label="IP allowlist"
          value={ipAllowlist}
          onChange={setIpAllowlist}
          multiline
          placeholder="203.0.113.0/24"
          hint="Optional: the addresses (IPv4 or IPv6, or CIDR ranges) the key may be used from, separated by commas. Empty: any address."
          error={errors.of('ipAllowlist')}
        />
        <div className="dialog-actions">
          <FormError error={create.error} prefix="The key was not created" errors={errors} />
          <button type="button" className="button" onClick={close}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={create.isPending}>
            {create.isPending ? 'Creating…' : 'Create API Key'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
