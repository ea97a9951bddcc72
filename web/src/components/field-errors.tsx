import { type RefObject, useEffect } from 'react';
import { ApiError, type FieldIssue } from '../lib/api-error.ts';
import { ErrorMessage } from './error-message.tsx';

const unquote = (list = '') => list.replaceAll('"', '');
/** `read, write` as "read or write". */
const or = (list = '') => list.replace(/, ([^,]+)$/, ' or $1');

const NOT_ALLOWED: Record<string, string> = {
  view: 'You are not allowed to see keys here',
  create: 'You are not allowed to create keys here',
  update: 'You are not allowed to change keys here',
  delete: 'You are not allowed to revoke or delete keys here',
};

/**
 * The API's wording of a bad field, as a person would say it. The API names the rule ("must be an
 * IPv4 or IPv6 address or CIDR"); a form says what is wrong with what was typed.
 */
const WORDS: readonly [RegExp, (match: RegExpMatchArray) => string][] = [
  [/must be an IPv4 or IPv6 address or CIDR/, () => 'Not an IP address or CIDR range'],
  [
    /must look like "resource:action"/,
    () => 'Not a permission (write it as resource:action, e.g. orders:read)',
  ],
  [/^may contain letters, digits and (.+)$/, (m) => `Use only letters, digits and ${m[1]}`],
  [/^must be lower-case letters, digits, (.+)$/, (m) => `Use only lower-case letters, digits and ${m[1]}`],
  [/^must not be empty$/, () => 'Cannot be empty'],
  [/^must be in the future$/, () => 'Choose a time in the future'],
  [/^(?:must be )?at most (\d+) characters?/, (m) => `Too long: at most ${m[1]} characters`],
  // The compliance policy (422), about the key being made.
  [
    /^is required: keys may live at most (\d+) days/,
    (m) => `Choose an expiry: keys may live at most ${m[1]} days`,
  ],
  [/^must be at most (\d+) days from now/, (m) => `Too far ahead: keys may live at most ${m[1]} days`],
  [/^is required: every key must expire/, () => 'Choose an expiry: every key must expire'],
  [/^must not include (.+) on a personal key$/, (m) => `A personal key may not have ${unquote(m[1])}`],
  // A portal session's limits (403), about what the person chose.
  [
    /^(.+) (is|are) not among the roles this session may give \((.+)\)$/,
    (m) => `You cannot give the ${m[2] === 'is' ? 'role' : 'roles'} ${unquote(m[1])}: choose ${or(m[3])}`,
  ],
  [/^this session may create (.+) only$/, (m) => `You can create ${m[1]} only`],
  [/^lies outside the workspaces this session manages$/, () => 'Outside the workspaces you manage'],
  [/^a portal session gives roles only, not permissions$/, () => 'Choose a role instead'],
  [/^is set by the (?:portal|operator)/, () => 'You cannot set this here'],
  [
    /^api\.key\.(view|create|update|delete) is not granted to this session$/,
    (m) => NOT_ALLOWED[m[1] ?? ''] ?? m[0],
  ],
];

export function inWords(message: string): string {
  for (const [pattern, words] of WORDS) {
    const match = message.match(pattern);
    if (match) return words(match);
  }
  return message.charAt(0).toUpperCase() + message.slice(1);
}

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
