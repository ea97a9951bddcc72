import type { Environment, KeyScope, KeyType } from '@latchkey/client/types';
import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useApi } from '../../api/client.ts';
import { whoamiQuery } from '../../api/whoami.ts';
import { splitList } from '../../lib/format.ts';
import { Choice } from '../choice.tsx';
import { FieldError, TextField } from '../text-field.tsx';
import { CreateKeyForm } from './create-key-form.tsx';
import { KeyTypeField, RadioGroup, RolePicker } from './fields.tsx';
import { PlanPicker } from './plan-picker.tsx';

const SCOPES = [
  { value: 'default', label: 'Default workspace' },
  { value: 'workspace', label: 'A workspace' },
  { value: 'organization', label: 'An organization' },
] as const;
type ScopeKind = (typeof SCOPES)[number]['value'];

/** The create body's fields this dialog shows, as the API names them in a refusal. */
const FIELDS = [
  'description',
  'owner',
  'scope.workspaceId',
  'scope.organizationId',
  'scope.workspaceIds',
  'roles',
  'permissions',
  'environment',
  'plan',
] as const;

const TYPES = [
  { value: 'personal', label: 'Personal', hint: 'tied to a user' },
  { value: 'service', label: 'Service', hint: 'for systems; its name is the actor in audit history' },
  { value: 'canary', label: 'Canary', hint: 'a honeytoken to plant: never valid, any use raises an alarm' },
] as const satisfies readonly { value: KeyType; label: string; hint: string }[];

/** Create API Key, for an operator: every field of the key, then the secret once. */
export function CreateKeyDialog({ onClose }: { onClose: () => void }) {
  const whoami = useQuery(whoamiQuery(useApi()));
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
  const [plan, setPlan] = useState('');
  const envId = useId();
  const envErrorId = useId();

  const body = () => {
    let scope: KeyScope | undefined;
    if (scopeKind === 'workspace') scope = { workspaceId: workspaceId.trim() };
    if (scopeKind === 'organization')
      scope = {
        organizationId: organizationId.trim(),
        workspaceIds: allWorkspaces ? '*' : splitList(workspaces),
      };
    const perms = splitList(permissions);
    return {
      body: {
        ...(description.trim() ? { description: description.trim() } : {}),
        ...(owner.trim() ? { owner: owner.trim() } : {}),
        ...(scope ? { scope } : {}),
        type,
        roles,
        permissions: perms,
        environment,
        ...(plan ? { plan } : {}),
      },
      sent: {
        permissions: perms,
        'scope.workspaceIds':
          scope && 'workspaceIds' in scope && scope.workspaceIds !== '*' ? scope.workspaceIds : [],
      },
    };
  };

  return (
    <CreateKeyForm
      fields={FIELDS}
      namePlaceholder="e.g. CI/CD integration"
      ipHint="Optional: IPv4/IPv6 addresses or CIDRs; requests from elsewhere are refused."
      submitLabel="Create"
      onClose={onClose}
      body={body}
      after={(errors) => <PlanPicker value={plan} onChange={setPlan} error={errors.of('plan')} />}
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
          <KeyTypeField options={TYPES} value={type} onChange={setType} />
          <TextField
            label="Owner"
            value={owner}
            onChange={setOwner}
            placeholder={whoami.data?.actor ?? 'you'}
            hint="Optional: a user or team. Empty means you (the caller)."
            error={errors.of('owner')}
          />
          <RadioGroup legend="Scope" name="scope" options={SCOPES} value={scopeKind} onChange={setScopeKind}>
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
          </RadioGroup>
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
        </>
      )}
    </CreateKeyForm>
  );
}
