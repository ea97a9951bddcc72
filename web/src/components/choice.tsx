import { useId } from 'react';

/** A checkbox or radio whose name is its label; a hint, when given, is its description. */
export function Choice({
  type,
  name,
  label,
  hint,
  checked,
  onChange,
  invalid,
}: {
  type: 'checkbox' | 'radio';
  name?: string;
  label: string;
  hint?: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
  /** Marks the group's first choice invalid, so focus can go to it. */
  invalid?: boolean;
}) {
  const hintId = useId();
  return (
    <div className="choice">
      <label className="check">
        <input
          type={type}
          name={name}
          checked={checked}
          aria-invalid={invalid || undefined}
          aria-describedby={hint ? hintId : undefined}
          onChange={(event) => onChange(event.currentTarget.checked)}
        />
        <span>{label}</span>
      </label>
      {hint && (
        <span id={hintId} className="muted small choice-hint">
          {hint}
        </span>
      )}
    </div>
  );
}
