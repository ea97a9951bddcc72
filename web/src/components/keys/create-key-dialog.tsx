import type { CreatedKey, CreateKeyRequest, Environment, KeyScope, KeyType } from '@latchkey/client/types';
import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useId, useRef, useState } from 'react';
import { useApi } from '../../api/client.ts';
import { useCreateKey } from '../../api/keys.ts';
import { whoamiQuery } from '../../api/whoami.ts';
import { splitList } from '../../lib/format.ts';
import { Choice } from '../choice.tsx';
import { Dialog } from '../dialog.tsx';
import { FormError, fieldErrors, useFocusFirstInvalid } from '../field-errors.tsx';
import { FieldError, TextField } from '../text-field.tsx';
import { ExpiryPicker, type ExpiryValue, expiresAtOf, RolePicker } from './fields.tsx';
import { PlanPicker } from './plan-picker.tsx';
import { SecretOnceDialog } from './secret-once.tsx';

type ScopeKind = 'default' | 'workspace' | 'organization';

/** The create body's fields, as the API names them in a refusal. */
const FIELDS = [
  'name',
  'description',
  'owner',
  'scope.workspaceId',
  'scope.organizationId',
  'scope.workspaceIds',
  'roles',
  'permissions',
  'environment',
  'expiresAt',
  'ipAllowlist',
  'plan',
] as const;

/**
 * Create API Key: the form, then, in the same dialog, the secret once. The created key and its
 * secret are held in this component's state only and dropped when it closes.
 */
export function CreateKeyDialog({ onClose }: { onClose: () => void }) {
  const create = useCreateKey();
  const whoami = useQuery(whoamiQuery(useApi()));
  const [created, setCreated] = useState<CreatedKey | null>(null);
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [type, setType] = useState<KeyType>('service');
  const [owner, setOwner] = useState('');
  const [scopeKind, setScopeKind] = useState<ScopeKind>('default');
  const [workspaceId, setWorkspaceId] = useState('');
  const [organizationId, setOrganizationId] = useState('');
  const [workspaces, setWorkspaces] = useState('');
  const [allWorkspaces, setAllWorkspaces] = useState(false);
  const [roles, setRoles] = useState<string[]>(['read']);
  const [permissions, setPermissions] = useState('');
  const [environment, setEnvironment] = useState<Environment>('production');
  const [expiry, setExpiry] = useState<ExpiryValue>({ choice: 'never', date: '' });
  const [ipAllowlist, setIpAllowlist] = useState('');
  const [plan, setPlan] = useState('');
  /** The lists as last sent, so an error about one entry can name it. */
  const [sent, setSent] = useState<Record<string, string[]>>({});
  const envId = useId();
  const envErrorId = useId();
  const form = useRef<HTMLFormElement>(null);
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
    let scope: KeyScope | undefined;
    if (scopeKind === 'workspace') scope = { workspaceId: workspaceId.trim() };
    if (scopeKind === 'organization')
      scope = {
        organizationId: organizationId.trim(),
        workspaceIds: allWorkspaces ? '*' : splitList(workspaces),
      };
    const ips = splitList(ipAllowlist);
    const perms = splitList(permissions);
    setSent({
      ipAllowlist: ips,
      permissions: perms,
      'scope.workspaceIds':
        scope && 'workspaceIds' in scope && scope.workspaceIds !== '*' ? scope.workspaceIds : [],
    });
    const body: CreateKeyRequest = {
      ...(name.trim() ? { name: name.trim() } : {}),
      ...(description.trim() ? { description: description.trim() } : {}),
      ...(owner.trim() ? { owner: owner.trim() } : {}),
      ...(scope ? { scope } : {}),
      type,
      roles,
      permissions: perms,
      environment,
      ...(ips.length ? { ipAllowlist: ips } : {}),
      ...(plan ? { plan } : {}),
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
          placeholder="e.g. CI/CD integration"
          hint="Optional: the key ID is used if you leave it empty."
          error={errors.of('name')}
        />
        <TextField
          label="Description"
          value={description}
          onChange={setDescription}
          multiline
          error={errors.of('description')}
        />
        <fieldset className="field">
          <legend>Type</legend>
          <div className="radios">
            <Choice
              type="radio"
              name="type"
              label="Personal"
              hint="tied to a user"
              checked={type === 'personal'}
              onChange={() => setType('personal')}
            />
            <Choice
              type="radio"
              name="type"
              label="Service"
              hint="for systems; its name is the actor in audit history"
              checked={type === 'service'}
              onChange={() => setType('service')}
            />
            <Choice
              type="radio"
              name="type"
              label="Canary"
              hint="a honeytoken to plant: never valid, any use raises an alarm"
              checked={type === 'canary'}
              onChange={() => setType('canary')}
            />
          </div>
        </fieldset>
        <TextField
          label="Owner"
          value={owner}
          onChange={setOwner}
          placeholder={whoami.data?.actor ?? 'you'}
          hint="Optional: a user or team. Empty means you (the caller)."
          error={errors.of('owner')}
        />
        <fieldset className="field">
          <legend>Scope</legend>
          <div className="radios">
            <Choice
              type="radio"
              name="scope"
              label="Default workspace"
              checked={scopeKind === 'default'}
              onChange={() => setScopeKind('default')}
            />
            <Choice
              type="radio"
              name="scope"
              label="A workspace"
              checked={scopeKind === 'workspace'}
              onChange={() => setScopeKind('workspace')}
            />
            <Choice
              type="radio"
              name="scope"
              label="An organization"
              checked={scopeKind === 'organization'}
              onChange={() => setScopeKind('organization')}
            />
          </div>
          {scopeKind === 'workspace' && (
            <TextField
              label="Workspace ID"
              value={workspaceId}
              onChange={setWorkspaceId}
              required
              error={errors.of('scope.workspaceId')}
            />
          )}
          {scopeKind === 'organization' && (
            <>
              <TextField
                label="Organization ID"
                value={organizationId}
                onChange={setOrganizationId}
                required
                error={errors.of('scope.organizationId')}
              />
              <Choice
                type="checkbox"
                label="All workspaces in the organization"
                checked={allWorkspaces}
                onChange={setAllWorkspaces}
              />
              {!allWorkspaces && (
                <TextField
                  label="Workspaces"
                  value={workspaces}
                  onChange={setWorkspaces}
                  required
                  hint="Workspace IDs, separated by commas."
                  error={errors.of('scope.workspaceIds')}
                />
              )}
            </>
          )}
        </fieldset>
        <RolePicker value={roles} onChange={setRoles} error={errors.of('roles')} />
        <TextField
          label="Permissions"
          value={permissions}
          onChange={setPermissions}
          multiline
          placeholder="orders:read"
          hint="Optional: permissions granted directly, besides the roles', separated by commas or spaces."
          error={errors.of('permissions')}
        />
        <div className="field-row">
          <div className="field">
            <label htmlFor={envId}>Environment</label>
            <select
              id={envId}
              aria-invalid={errors.of('environment') ? true : undefined}
              aria-describedby={errors.of('environment') ? envErrorId : undefined}
              value={environment}
              onChange={(event) => setEnvironment(event.currentTarget.value as Environment)}
            >
              <option value="production">Production (rotate every 90 days)</option>
              <option value="development">Development (rotate every 180 days)</option>
            </select>
            <FieldError id={envErrorId} error={errors.of('environment')} />
          </div>
        </div>
        <ExpiryPicker value={expiry} onChange={setExpiry} error={errors.of('expiresAt')} />
        <TextField
          label="IP allowlist"
          value={ipAllowlist}
          onChange={setIpAllowlist}
          multiline
          placeholder="203.0.113.0/24"
          hint="Optional: IPv4/IPv6 addresses or CIDRs; requests from elsewhere are refused."
          error={errors.of('ipAllowlist')}
        />
        <PlanPicker value={plan} onChange={setPlan} error={errors.of('plan')} />
        <div className="dialog-actions">
          <FormError error={create.error} prefix="The key was not created" errors={errors} />
          <button type="button" className="button" onClick={close}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={create.isPending}>
            {create.isPending ? 'Creating…' : 'Create'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
