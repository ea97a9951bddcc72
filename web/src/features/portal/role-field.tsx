import { useId } from 'react';
import { FieldError } from '../../components/text-field.tsx';

/** The value of the Role field that leaves a key's roles as they are (set by someone else). */
export const KEEP_ROLES = '';

/**
 * Role: one of the roles the session may give, from a list; a session that allows one role shows
 * it as a fact. When editing a key whose roles are not one of those (an operator gave them), the
 * first choice keeps them.
 */
export function RoleField({
  roles,
  value,
  onChange,
  current,
  error,
}: {
  roles: readonly string[];
  value: string;
  onChange: (role: string) => void;
  /** Editing: the key's roles, offered as "keep" when they are not a single allowed role. */
  current?: readonly string[];
  /** What the API refused about the role, in words. */
  error?: string;
}) {
  const id = useId();
  const errorId = useId();
  const keep = current !== undefined && !(current.length === 1 && roles.includes(current[0] as string));
  if (roles.length === 1 && !keep) {
    return (
      <div className="field">
        <span className="field-label">Role</span>
        <p className="field-static">
          <span className="chip">{roles[0]}</span>{' '}
          <span className="muted small">the only role you can give a key</span>
        </p>
        <FieldError id={errorId} error={error} />
      </div>
    );
  }
  return (
    <div className="field">
      <label htmlFor={id}>Role</label>
      <select
        id={id}
        value={value}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : `${id}-hint`}
        onChange={(event) => onChange(event.currentTarget.value)}
      >
        {keep && (
          <option value={KEEP_ROLES}>Keep current ({current.length ? current.join(', ') : 'no role'})</option>
        )}
        {roles.map((role) => (
          <option key={role} value={role}>
            {role}
          </option>
        ))}
      </select>
      <FieldError id={errorId} error={error} />
      {!error && (
        <p id={`${id}-hint`} className="hint">
          What the key may do. Choose the least it needs.
        </p>
      )}
    </div>
  );
}
