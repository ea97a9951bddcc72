import type { ApiKey, UpdateKeyRequest } from '@latchkey/client/types';
import { useState } from 'react';
import { EditKeyForm, KeyEditDialog, type KeyEditFormProps } from '../../components/keys/edit-key-dialog.tsx';
import { KEEP_ROLES, RoleField } from './role-field.tsx';
import { usePortalSession } from './session.tsx';

const FIELDS = ['roles'] as const;

/** Edit in the portal: the key's name and role (PATCH with `If-Match`, as the dashboard's). */
export function EditKeyDialog({ apiKey, onClose }: { apiKey: ApiKey; onClose: () => void }) {
  return <KeyEditDialog apiKey={apiKey} onClose={onClose} Form={EditForm} />;
}

function EditForm(props: KeyEditFormProps) {
  const { base } = props;
  const session = usePortalSession();
  const single = base.roles.length === 1 && session.roles.includes(base.roles[0] as string);
  const [role, setRole] = useState(single ? (base.roles[0] as string) : KEEP_ROLES);

  const changes = () => {
    const body: Omit<UpdateKeyRequest, 'name'> = {};
    if (role !== KEEP_ROLES && !(base.roles.length === 1 && base.roles[0] === role)) body.roles = [role];
    return { body };
  };

  return (
    <EditKeyForm
      {...props}
      fields={FIELDS}
      secretNote="Not retrievable: it was shown once, when the key was created."
      changes={changes}
    >
      {(errors) => (
        <RoleField
          roles={session.roles}
          value={role}
          onChange={setRole}
          current={base.roles}
          error={errors.of('roles')}
        />
      )}
    </EditKeyForm>
  );
}
