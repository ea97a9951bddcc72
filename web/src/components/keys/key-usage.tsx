import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense } from 'react';
import { useApi } from '../../api/client.ts';
import { keyUsageQuery } from '../../api/keys.ts';
import { formatRelative } from '../../lib/format.ts';
import { ErrorMessage } from '../error-message.tsx';
import { Skeleton } from '../skeleton.tsx';

/** uPlot is loaded with the first key page, not with the keys table. */
const UsageChart = lazy(() => import('./usage-chart.tsx').then((m) => ({ default: m.UsageChart })));

/** A key's requests per day over the last 30 days: totals, the chart and the numbers. */
export function KeyUsage({ keyId, canary }: { keyId: string; canary: boolean }) {
  const usage = useQuery(keyUsageQuery(useApi(), keyId));
  const quiet = usage.data && usage.data.total.allowed + usage.data.total.refused === 0;
  return (
    <section className="card" aria-labelledby="usage-heading">
      <h2 id="usage-heading">Usage, last 30 days</h2>
      <ErrorMessage
        error={usage.error}
        prefix="Usage could not be loaded"
        onRetry={() => void usage.refetch()}
        retrying={usage.isFetching}
      />
      {usage.isPending && !usage.error && <Skeleton label="Loading usage…" rows={4} />}
      {quiet && (
        <div className="empty empty-compact">
          <h3>{canary ? 'Not triggered in the last 30 days' : 'No requests in the last 30 days'}</h3>
          <p>
            {canary
              ? 'A request that presents this canary shows here as refused.'
              : 'Requests made with this key show here per day, allowed and refused, within a minute or so.'}
          </p>
        </div>
      )}
      {usage.data && !quiet && (
        <>
          <dl className="totals">
            <div>
              <dt>Allowed</dt>
              <dd className="total-allowed">{usage.data.total.allowed}</dd>
            </div>
            <div>
              <dt>Refused</dt>
              <dd className="total-refused">{usage.data.total.refused}</dd>
            </div>
            {!canary && (
              <div>
                <dt>Last used</dt>
                <dd>{usage.data.lastUsedAt ? formatRelative(usage.data.lastUsedAt) : 'Never'}</dd>
              </div>
            )}
          </dl>
          <Suspense fallback={<Skeleton label="Loading the chart…" rows={4} />}>
            <UsageChart usage={usage.data} />
          </Suspense>
        </>
      )}
    </section>
  );
}
