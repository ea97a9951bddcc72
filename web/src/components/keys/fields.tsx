import type { KeyType } from '@latchkey/client/types';
import { useQuery } from '@tanstack/react-query';
import { type ReactNode, useId } from 'react';
import { useApi } from '../../api/client.ts';
import { rolesQuery } from '../../api/roles.ts';
import { endOfDay, todayPlus } from '../../lib/format.ts';
import { Choice } from '../choice.tsx';
import { ErrorMessage } from '../error-message.tsx';
import { FieldError } from '../text-field.tsx';

/**
 * A group of checkboxes, one a choice, whose value is the names checked; after a refusal, its
 * error under the legend and the first choice marked invalid.
 */
export function CheckGroup({
  legend,
  choices,
  value,
  onChange,
  error,
  children,
}: {
  legend: string;
  choices: readonly { name: string; hint?: string }[];
  value: readonly string[];
  onChange: (value: string[]) => void;
  /** What the API refused about the group, in words. */
  error?: string;
  /** Said under the legend, before the choices (their loading state, say). */
  children?: ReactNode;
}) {
  const errorId = useId();
  return (
    <fieldset className="field" aria-describedby={error ? errorId : undefined}>
      <legend>{legend}</legend>
      {children}
      <FieldError id={errorId} error={error} />
      <div className="checks">
        {choices.map((choice, i) => (
          <Choice
            key={choice.name}
            type="checkbox"
            label={choice.name}
            hint={choice.hint}
            checked={value.includes(choice.name)}
            onChange={(on) => onChange(on ? [...value, choice.name] : value.filter((v) => v !== choice.name))}
            invalid={Boolean(error) && i === 0}
          />
        ))}
      </div>
    </fieldset>
  );
}

/** Roles as a multi-select: the built-ins and the custom roles from GET /v1/roles. */
export function RolePicker({
  value,
  onChange,
  error,
}: {
  value: string[];
  onChange: (roles: string[]) => void;
  /** What the API refused about the roles, in words. */
  error?: string;
}) {
  const roles = useQuery(rolesQuery(useApi()));
  const known = new Set((roles.data ?? []).map((r) => r.name));
  const extra = value.filter((r) => !known.has(r));
  return (
    <CheckGroup
      legend="Roles"
      choices={[
        ...(roles.data ?? []).map((r) => ({ name: r.name, hint: r.permissions.join(', ') || undefined })),
        ...extra.map((name) => ({ name })),
      ]}
      value={value}
      onChange={onChange}
      error={error}
    >
      {roles.isPending && <p className="muted">Loading roles…</p>}
      <ErrorMessage error={roles.error} prefix="Roles could not be loaded" />
    </CheckGroup>
  );
}

/** A group of radios, in the caller's order and words; anything the choice needs follows them. */
export function RadioGroup<T extends string>({
  legend,
  name,
  options,
  value,
  onChange,
  error,
  children,
}: {
  legend: string;
  name: string;
  options: readonly { value: T; label: string; hint?: string }[];
  value: T;
  onChange: (value: T) => void;
  /** What the API refused about the choice, in words. */
  error?: string;
  /** Fields the chosen option asks for, under the radios. */
  children?: ReactNode;
}) {
  const errorId = useId();
  return (
    <fieldset className="field" aria-describedby={error ? errorId : undefined}>
      <legend>{legend}</legend>
      <div className="radios">
        {options.map((option) => (
          <Choice
            key={option.value}
            type="radio"
            name={name}
            label={option.label}
            hint={option.hint}
            checked={value === option.value}
            onChange={() => onChange(option.value)}
          />
        ))}
      </div>
      <FieldError id={errorId} error={error} />
      {children}
    </fieldset>
  );
}

/** The key's Type, as radios in the caller's order and words. */
export function KeyTypeField<T extends KeyType>(props: {
  options: readonly { value: T; label: string; hint: string }[];
  value: T;
  onChange: (type: T) => void;
  error?: string;
}) {
  return <RadioGroup legend="Type" name="type" {...props} />;
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
  error,
}: {
  value: ExpiryValue;
  onChange: (value: ExpiryValue) => void;
  /** When editing: the key's expiry, offered as "keep". */
  current?: string;
  /** What the API refused about the expiry, in words. */
  error?: string;
}) {
  const selectId = useId();
  const dateId = useId();
  const errorId = useId();
  const custom = value.choice === 'custom';
  return (
    <div className="field-row">
      <div className="field">
        <label htmlFor={selectId}>Expires</label>
        <select
          id={selectId}
          aria-invalid={error && !custom ? true : undefined}
          aria-describedby={error && !custom ? errorId : undefined}
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
        {!custom && <FieldError id={errorId} error={error} />}
      </div>
      {custom && (
        <div className="field">
          <label htmlFor={dateId}>Expiry date</label>
          <input
            id={dateId}
            type="date"
            required
            min={todayPlus(1)}
            value={value.date}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? errorId : undefined}
            onChange={(event) => onChange({ ...value, date: event.currentTarget.value })}
          />
          <FieldError id={errorId} error={error} />
        </div>
      )}
    </div>
  );
}
