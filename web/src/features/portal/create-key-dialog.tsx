import type { PortalSession } from '@latchkey/client/types';
import { useState } from 'react';
import { CreateKeyForm } from '../../components/keys/create-key-form.tsx';
import { CheckGroup, KeyTypeField } from '../../components/keys/fields.tsx';
import { RoleField } from './role-field.tsx';
import { usePortalSession } from './session.tsx';

/** The create body's fields this dialog shows, as the API names them in a refusal. */
const FIELDS = ['type', 'scope', 'roles'] as const;

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
  const [type, setType] = useState<PortalKeyType>(session.types.includes('service') ? 'service' : 'personal');
  const organization = workspaceChoice(session);
  const [workspaces, setWorkspaces] = useState<string[]>(organization?.workspaceIds ?? []);
  const [role, setRole] = useState(defaultRole(session.roles));

  const body = () => {
    const scope = organization && {
      organizationId: organization.organizationId,
      workspaceIds: workspaces,
    };
    return { body: { type, ...(scope ? { scope } : {}), roles: [role] } };
  };

  return (
    <CreateKeyForm
      fields={FIELDS}
      namePlaceholder="e.g. Production server"
      ipHint="Optional: the addresses (IPv4 or IPv6, or CIDR ranges) the key may be used from, separated by commas. Empty: any address."
      submitLabel="Create API Key"
      onClose={onClose}
      body={body}
    >
      {(errors) => (
        <>
          {session.types.length > 1 && (
            <KeyTypeField
              options={[
                {
                  value: 'service',
                  label: 'Service',
                  hint: 'for applications and production systems; not tied to a person',
                },
                { value: 'personal', label: 'Personal', hint: `tied to your account (${session.subject})` },
              ]}
              value={type}
              onChange={setType}
              error={errors.of('type')}
            />
          )}
          {organization && (
            <CheckGroup
              legend="Workspaces"
              choices={organization.workspaceIds.map((name) => ({ name }))}
              value={workspaces}
              onChange={setWorkspaces}
              error={errors.of('scope')}
            />
          )}
          <RoleField roles={session.roles} value={role} onChange={setRole} error={errors.of('roles')} />
        </>
      )}
    </CreateKeyForm>
  );
}
