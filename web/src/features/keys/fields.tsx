import { useQuery } from '@tanstack/react-query';
import { useId } from 'react';
import { rolesQuery } from '../../api/roles.ts';
import { Choice } from '../../components/choice.tsx';
import { ErrorMessage } from '../../components/error-message.tsx';
import { endOfDay, todayPlus } from '../../lib/format.ts';

/** Roles as a multi-select: the built-ins and the custom roles from GET /v1/roles. */
export function RolePicker({ value, onChange }: { value: string[]; onChange: (roles: string[]) => void }) {
  const roles = useQuery(rolesQuery());
  const known = new Set((roles.data ?? []).map((r) => r.name));
  const extra = value.filter((r) => !known.has(r));
  const toggle = (name: string, on: boolean) =>
    onChange(on ? [...value, name] : value.filter((r) => r !== name));
  return (
    <fieldset className="field">
      <legend>Roles</legend>
      {roles.isPending && <p className="muted">Loading roles…</p>}
      <ErrorMessage error={roles.error} prefix="Roles could not be loaded" />
      <div className="checks">
        {[
          ...(roles.data ?? []).map((r) => ({ name: r.name, hint: r.permissions.join(', ') })),
          ...extra.map((name) => ({ name, hint: '' })),
        ].map((role) => (
          <Choice
            key={role.name}
            type="checkbox"
            label={role.name}
            hint={role.hint || undefined}
            checked={value.includes(role.name)}
            onChange={(on) => toggle(role.name, on)}
          />
        ))}
      </div>
    </fieldset>
  );
}

export type ExpiryChoice = 'keep' | 'never' | '30' | '60' | '90' | 'custom';

export interface ExpiryValue {
  choice: ExpiryChoice;
  date: string;
}

/** `expiresAt` for a choice; undefined for "keep". */
export function expiresAtOf(value: ExpiryValue): string | null | undefined {
  switch (value.choice) {
    case 'keep':
      return undefined;
    case 'never':
      return null;
    case 'custom':
      return value.date ? endOfDay(value.date) : undefined;
    default:
      return new Date(Date.now() + Number(value.choice) * 86_400_000).toISOString();
  }
}

export function ExpiryPicker({
  value,
  onChange,
  current,
}: {
  value: ExpiryValue;
  onChange: (value: ExpiryValue) => void;
  /** When editing: the key's expiry, offered as "keep". */
  current?: string;
}) {
  const selectId = useId();
  const dateId = useId();
  return (
    <div className="field-row">
      <div className="field">
        <label htmlFor={selectId}>Expires</label>
        <select
          id={selectId}
          value={value.choice}
          onChange={(event) => onChange({ ...value, choice: event.currentTarget.value as ExpiryChoice })}
        >
          {current !== undefined && <option value="keep">Keep current ({current})</option>}
          <option value="never">Never</option>
          <option value="30">30 days</option>
          <option value="60">60 days</option>
          <option value="90">90 days</option>
          <option value="custom">Custom date</option>
        </select>
      </div>
      {value.choice === 'custom' && (
        <div className="field">
          <label htmlFor={dateId}>Expiry date</label>
          <input
            id={dateId}
            type="date"
            required
            min={todayPlus(1)}
            value={value.date}
            onChange={(event) => onChange({ ...value, date: event.currentTarget.value })}
          />
        </div>
      )}
    </div>
  );
}

export function TextField({
  label,
  value,
  onChange,
  hint,
  placeholder,
  multiline,
  required,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  hint?: string;
  placeholder?: string;
  multiline?: boolean;
  required?: boolean;
}) {
  const id = useId();
  const hintId = useId();
  const common = {
    id,
    value,
    placeholder,
    required,
    'aria-describedby': hint ? hintId : undefined,
  };
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {multiline ? (
        <textarea {...common} rows={2} onChange={(event) => onChange(event.currentTarget.value)} />
      ) : (
        <input {...common} type="text" onChange={(event) => onChange(event.currentTarget.value)} />
      )}
      {hint && (
        <p id={hintId} className="hint">
          {hint}
        </p>
      )}
    </div>
  );
}
