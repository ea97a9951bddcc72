import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense } from 'react';
import { useApi } from '../../api/client.ts';
import { keyUsageQuery } from '../../api/keys.ts';
import { formatRelative } from '../../lib/format.ts';
import { QueryState } from '../query-state.tsx';
import { Skeleton } from '../skeleton.tsx';
import { TopLists } from './top-lists.tsx';

/** uPlot is loaded with the first key page, not with the keys table. */
const UsageChart = lazy(() => import('./usage-chart.tsx').then((m) => ({ default: m.UsageChart })));

/**
 * A key's requests per day over the last 30 days: totals, check latency, the chart (refusals by
 * code) and its numbers, and the top routes and source addresses.
 */
export function KeyUsage({ keyId, canary }: { keyId: string; canary: boolean }) {
  const usage = useQuery(keyUsageQuery(useApi(), keyId));
  const quiet = usage.data && usage.data.total.allowed + usage.data.total.refused === 0;
  return (
    <section className="card" aria-labelledby="usage-heading">
      <h2 id="usage-heading">Usage, last 30 days</h2>
      <QueryState query={usage} prefix="Usage could not be loaded" loading="Loading usage…" rows={4} />
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
            {usage.data.latencyMs && (
              <div>
                <dt>Check latency p50 / p99</dt>
                <dd>
                  {usage.data.latencyMs.p50} / {usage.data.latencyMs.p99} ms
                </dd>
              </div>
            )}
          </dl>
          <Suspense fallback={<Skeleton label="Loading the chart…" rows={4} />}>
            <UsageChart usage={usage.data} />
          </Suspense>
          <TopLists routes={usage.data.routes} sourceIps={usage.data.sourceIps} />
        </>
      )}
    </section>
  );
}
