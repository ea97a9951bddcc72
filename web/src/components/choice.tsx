import { useId } from 'react';

/** A checkbox or radio whose name is its label; a hint, when given, is its description. */
export function Choice({
  type,
  name,
  label,
  hint,
  checked,
  onChange,
}: {
  type: 'checkbox' | 'radio';
  name?: string;
  label: string;
  hint?: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
}) {
  const hintId = useId();
  return (
    <div className="choice">
      <label className="check">
        <input
          type={type}
          name={name}
          checked={checked}
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
