import type { UsageOverviewItem } from '@latchkey/client/types';
import { useInfiniteQuery } from '@tanstack/react-query';
import { lazy, Suspense } from 'react';
import { useApi } from '../../api/client.ts';
import { USAGE_WINDOWS, type UsageWindow, usageOverviewQuery } from '../../api/usage.ts';
import { UnusualBadge } from '../../components/badges.tsx';
import { RotationNote } from '../../components/key-notes.tsx';
import { LoadMore, QueryState } from '../../components/query-state.tsx';
import { ScrollRegion } from '../../components/scroll-region.tsx';
import { formatDateTime, formatRelative } from '../../lib/format.ts';
import { Link, withQuery } from '../../lib/router.tsx';

/** uPlot loads with this page's chart, not with the rest of the dashboard. */
const TopKeysChart = lazy(() => import('./top-keys-chart.tsx').then((m) => ({ default: m.TopKeysChart })));

const TOP = 5;
const STATUS_LABEL: Record<UsageOverviewItem['status'], string> = {
  active: 'Active',
  inactive: 'Inactive',
  revoked: 'Revoked',
  expired: 'Expired',
  deleted: 'Deleted',
};
const count = new Intl.NumberFormat();

/** Request counts for every key over 7 or 30 days (`?days=`), most active first, unusual ones marked. */
export function UsagePage({ days }: { days: UsageWindow }) {
  const overview = useInfiniteQuery(usageOverviewQuery(useApi(), days));
  const first = overview.data?.pages[0];
  const items = (overview.data?.pages ?? []).flatMap((p) => p.items);
  const flagged = items.filter((i) => i.unusual).length;
  return (
    <>
      <div className="page-header">
        <div>
          <h1 id="page-heading" tabIndex={-1}>
            Usage
          </h1>
          <p className="muted">
            Requests per key over the last {days} days, most active first: which integrations carry the
            traffic, and which one just jumped.
          </p>
        </div>
        <nav aria-label="Window" className="segmented">
          {USAGE_WINDOWS.map((n) => (
            <Link
              key={n}
              href={withQuery('/usage', { days: String(n) })}
              aria-current={n === days ? 'page' : undefined}
            >
              Last {n} days
            </Link>
          ))}
        </nav>
      </div>
      <QueryState query={overview} prefix="Usage could not be loaded" loading="Loading usage…" rows={6} />
      {first && (
        <section className="card" aria-labelledby="totals-heading">
          <h2 id="totals-heading">
            {first.window.from} to {first.window.to} (UTC)
          </h2>
          <dl className="facts facts-grid totals">
            <div>
              <dt>Requests</dt>
              <dd>{count.format(first.total.allowed + first.total.refused)}</dd>
            </div>
            <div>
              <dt>Allowed</dt>
              <dd>{count.format(first.total.allowed)}</dd>
            </div>
            <div>
              <dt>Refused</dt>
              <dd>{count.format(first.total.refused)}</dd>
            </div>
            <div>
              <dt>Keys with traffic</dt>
              <dd>{count.format(first.total.keys)}</dd>
            </div>
          </dl>
          {items.length > 0 && (
            <Suspense fallback={<p className="muted">Loading chart…</p>}>
              <TopKeysChart items={items.slice(0, TOP)} />
            </Suspense>
          )}
        </section>
      )}
      {overview.isSuccess && items.length === 0 && (
        <div className="empty">
          <h2>No traffic in the last {days} days</h2>
          <p>
            Requests checked by the authorizer show here per key, allowed and refused, within a minute or so
            of being made.
          </p>
        </div>
      )}
      {items.length > 0 && first && (
        <section aria-labelledby="by-key-heading">
          <h2 id="by-key-heading">By key</h2>
          <p className="muted small">
            <strong>Unusual</strong>: today&apos;s requests are at least {first.thresholds.factor}× the
            key&apos;s median day and at least {count.format(first.thresholds.minRequests)}; keys younger than{' '}
            {first.thresholds.minAgeDays} days are not flagged.
            {flagged > 0 && ` ${flagged} ${flagged === 1 ? 'key is' : 'keys are'} flagged.`}
          </p>
          <UsageTable items={items} />
        </section>
      )}
      <div className="list-footer">
        <LoadMore query={overview} label="Load more keys" />
      </div>
    </>
  );
}

function UsageTable({ items }: { items: UsageOverviewItem[] }) {
  return (
    <ScrollRegion label="Usage by key, scrollable">
      <table className="table">
        <caption className="visually-hidden">Requests by key, most active first</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Key ID</th>
            <th scope="col">Owner</th>
            <th scope="col">Status</th>
            <th scope="col" className="numeric">
              Requests
            </th>
            <th scope="col" className="numeric">
              Allowed
            </th>
            <th scope="col" className="numeric">
              Refused
            </th>
            <th scope="col">Today vs usual</th>
            <th scope="col">Last used</th>
          </tr>
        </thead>
        <tbody>
          {items.map((item) => (
            <tr key={item.keyId}>
              <th scope="row" className="cell-name">
                {item.status === 'deleted' ? (
                  <span>{item.name}</span>
                ) : (
                  <Link href={`/keys/${encodeURIComponent(item.keyId)}`}>{item.name}</Link>
                )}
                <RotationNote apiKey={item} />
              </th>
              <td>
                <code className="nowrap">{item.keyId}</code>
              </td>
              <td>{item.owner ?? <span className="muted">—</span>}</td>
              <td>
                <span className="badges">
                  <span className={`badge badge-${item.status}`}>{STATUS_LABEL[item.status]}</span>
                  {item.unusual && <UnusualBadge />}
                </span>
              </td>
              <td className="numeric">{count.format(item.total.allowed + item.total.refused)}</td>
              <td className="numeric">{count.format(item.total.allowed)}</td>
              <td className="numeric">{count.format(item.total.refused)}</td>
              <td className="nowrap">
                {count.format(item.latest)} today
                <span className="muted small block">
                  {item.baseline === null
                    ? 'no baseline yet'
                    : `usually ${count.format(item.baseline)} a day`}
                </span>
              </td>
              <td className="nowrap">
                {item.lastUsedAt ? (
                  <time dateTime={item.lastUsedAt} title={formatDateTime(item.lastUsedAt)}>
                    {formatRelative(item.lastUsedAt)}
                  </time>
                ) : (
                  <span className="muted">Never</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}
