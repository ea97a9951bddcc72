import type { UsagePlan } from '@latchkey/client/types';
import { useQuery } from '@tanstack/react-query';
import { useId } from 'react';
import { useApi } from '../../api/client.ts';
import { keyQuotaQuery, plansQuery } from '../../api/plans.ts';
import { formatDateTime } from '../../lib/format.ts';
import { ErrorMessage } from '../error-message.tsx';
import { FieldError } from '../text-field.tsx';

export const planSummary = (plan: UsagePlan) =>
  `${plan.rateLimit}/s, burst ${plan.burstLimit}${plan.quota ? `, ${plan.quota.limit} per ${plan.quota.period.toLowerCase()}` : ''}`;

/** The usage plan of a key, from GET /v1/plans; nothing at all when no plan is configured. */
export function PlanPicker({
  value,
  onChange,
  error,
}: {
  value: string;
  onChange: (plan: string) => void;
  /** What the API refused about the plan, in words. */
  error?: string;
}) {
  const id = useId();
  const errorId = useId();
  const plans = useQuery(plansQuery(useApi()));
  const items = plans.data?.items ?? [];
  if (plans.error) return <ErrorMessage error={plans.error} prefix="Plans could not be loaded" />;
  if (!items.length && !value) return null;
  return (
    <div className="field">
      <label htmlFor={id}>Plan</label>
      <select
        id={id}
        value={value}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : undefined}
        onChange={(event) => onChange(event.currentTarget.value)}
      >
        <option value="">No plan (no rate limit or quota)</option>
        {items.map((plan) => (
          <option key={plan.name} value={plan.name}>
            {plan.name} ({planSummary(plan)})
          </option>
        ))}
        {value && !items.some((p) => p.name === value) && (
          <option value={value}>{value} (not configured)</option>
        )}
      </select>
      <FieldError id={errorId} error={error} />
    </div>
  );
}

/** The key's quota this period, for its detail page. */
export function QuotaFact({ keyId }: { keyId: string }) {
  const quota = useQuery(keyQuotaQuery(useApi(), keyId));
  if (quota.error) return <ErrorMessage error={quota.error} prefix="Quota could not be loaded" />;
  const q = quota.data;
  if (!q?.plan) return null;
  if (q.limit === null || q.limit === undefined)
    return <span className="muted">No quota (rate limits only)</span>;
  return (
    <span>
      {q.used} of {q.limit} this {String(q.period).toLowerCase()} ({q.remaining} left, resets{' '}
      {q.resetsAt ? <time dateTime={q.resetsAt}>{formatDateTime(q.resetsAt)}</time> : 'never'})
      {q.shared && <span className="muted"> · shared by every key on the plan</span>}
    </span>
  );
}
