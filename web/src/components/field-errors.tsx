import { type RefObject, useEffect } from 'react';
import { ApiError, type FieldIssue } from '../lib/api-error.ts';
import { ErrorMessage } from './error-message.tsx';
import { inWords } from './refusal-words.ts';

export interface FieldErrors {
  /** What is wrong with a form field (`ipAllowlist`, `scope.workspaceId`), when the API named it. */
  of(field: string): string | undefined;
  /** How many of the form's fields are marked. */
  readonly count: number;
  /** Issues about nothing the form shows; said once, in the form's message. */
  readonly rest: readonly FieldIssue[];
}

/** Refusals whose details name the fields: bad input (400), a portal session's limits (403), the policy (422). */
const FIELD_REFUSALS = new Set([400, 403, 422]);

/**
 * A refusal's field issues, each given to the form field it is about (`ipAllowlist.1` belongs to
 * `ipAllowlist`), in words; an issue about one entry of a list names the entry, from `values`.
 */
export function fieldErrors(
  error: unknown,
  fields: readonly string[],
  values: Readonly<Record<string, readonly string[]>> = {},
): FieldErrors {
  const issues = error instanceof ApiError && FIELD_REFUSALS.has(error.status) ? error.details : [];
  const byField = new Map<string, Map<string, string[]>>();
  const rest: FieldIssue[] = [];
  for (const issue of issues) {
    const field = fields
      .filter((f) => issue.field === f || issue.field.startsWith(`${f}.`))
      .sort((a, b) => b.length - a.length)[0];
    if (!field) {
      rest.push(issue);
      continue;
    }
    const index = /^\.(\d+)/.exec(issue.field.slice(field.length))?.[1];
    const entry = index === undefined ? undefined : values[field]?.[Number(index)];
    const words = inWords(issue.message);
    const messages = byField.get(field) ?? new Map<string, string[]>();
    messages.set(words, [...(messages.get(words) ?? []), ...(entry === undefined ? [] : [entry])]);
    byField.set(field, messages);
  }
  return {
    of: (field) => {
      const messages = byField.get(field);
      if (!messages) return undefined;
      return [...messages]
        .map(([words, entries]) => (entries.length ? `${words}: ${entries.join(', ')}` : words))
        .join('. ');
    },
    count: byField.size,
    rest,
  };
}

/**
 * A form's refusal, said once: with fields marked, only how many need a change (each says what
 * beside itself) and what no field shows; otherwise the whole error.
 */
export function FormError({
  error,
  prefix,
  errors,
}: {
  error: unknown;
  prefix: string;
  errors: FieldErrors;
}) {
  if (!error) return null;
  if (errors.count === 0 && errors.rest.length === 0) return <ErrorMessage error={error} prefix={prefix} />;
  return (
    <div className="error form-error" role="alert">
      <p>
        {prefix}
        {errors.count === 0
          ? ':'
          : `: ${errors.count === 1 ? 'one field needs' : `${errors.count} fields need`} a change.`}
      </p>
      {errors.rest.length > 0 && (
        <ul>
          {errors.rest.map((issue) => (
            <li key={`${issue.field}:${issue.message}`}>{inWords(issue.message)}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** Moves focus to the form's first field marked invalid, each time a refusal comes back. */
export function useFocusFirstInvalid(form: RefObject<HTMLElement | null>, error: unknown) {
  useEffect(() => {
    if (error) form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [error, form]);
}
