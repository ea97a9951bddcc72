import { useId } from 'react';

/** A labelled text input or textarea, with its hint and, after a refusal, its error beside it. */
export function TextField({
  label,
  value,
  onChange,
  hint,
  placeholder,
  multiline,
  required,
  error,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  hint?: string;
  placeholder?: string;
  multiline?: boolean;
  required?: boolean;
  /** What the API refused about this field, in words: shown beside it, and the field marked invalid. */
  error?: string;
}) {
  const id = useId();
  const hintId = useId();
  const errorId = useId();
  const describedBy = [error ? errorId : '', hint ? hintId : ''].filter(Boolean).join(' ');
  const common = {
    id,
    value,
    placeholder,
    required,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': describedBy || undefined,
  };
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {multiline ? (
        <textarea {...common} rows={2} onChange={(event) => onChange(event.currentTarget.value)} />
      ) : (
        <input {...common} type="text" onChange={(event) => onChange(event.currentTarget.value)} />
      )}
      <FieldError id={errorId} error={error} />
      {hint && (
        <p id={hintId} className="hint">
          {hint}
        </p>
      )}
    </div>
  );
}

/** A field's error, beside it (the field points at it with aria-describedby). */
export function FieldError({ id, error }: { id: string; error?: string }) {
  if (!error) return null;
  return (
    <p id={id} className="field-error">
      {error}
    </p>
  );
}
