import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { lazy, type ReactNode, Suspense } from 'react';
import { ApiError } from '../../api/client.ts';
import { keyAuditQuery, keyDetailQuery, keyUsageQuery } from '../../api/keys.ts';
import type { ApiKey, AuditEntry } from '../../api/types.ts';
import { unusualKeysQuery } from '../../api/usage.ts';
import { Chips, KeyBadges } from '../../components/badges.tsx';
import { ErrorMessage } from '../../components/error-message.tsx';
import { ScrollRegion } from '../../components/scroll-region.tsx';
import { DAY, formatDateTime, formatRelative, formatScope, TYPE_LABEL } from '../../lib/format.ts';
import { Link, navigate } from '../../lib/router.tsx';
import { KeyActions, useKeyDialogs } from './key-actions.tsx';

/** uPlot is loaded with the first key page, not with the keys table. */
import { QuotaFact } from './plan-picker.tsx';

const UsageChart = lazy(() => import('./usage-chart.tsx').then((m) => ({ default: m.UsageChart })));

const keyHref = (keyId: string) => `/keys/${encodeURIComponent(keyId)}`;

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

const time = (iso: string | null | undefined, none = 'Never') =>
  iso ? <time dateTime={iso}>{formatDateTime(iso)}</time> : <span className="muted">{none}</span>;

/** One key: every field, 30 days of usage, rotation state and its audit history. */
export function KeyDetailPage({ keyId }: { keyId: string }) {
  const detail = useQuery(keyDetailQuery(keyId));
  const unusual = useQuery(unusualKeysQuery());
  const { open, dialogs } = useKeyDialogs(() => navigate('/'));
  if (detail.isPending) return <p role="status">Loading key…</p>;
  if (detail.isError) {
    const missing = detail.error instanceof ApiError && detail.error.status === 404;
    return (
      <>
        <Breadcrumb name={keyId} />
        <h1 id="page-heading" tabIndex={-1}>
          {missing ? 'Key not found' : 'Key'}
        </h1>
        <ErrorMessage error={detail.error} />
        <p>
          <Link href="/">Back to API Keys</Link>
        </p>
      </>
    );
  }
  const key = detail.data;
  return (
    <>
      <Breadcrumb name={key.name} />
      <div className="page-header">
        <div>
          <h1 id="page-heading" tabIndex={-1}>
            {key.name}
          </h1>
          <p>
            <code>{key.keyId}</code> <KeyBadges apiKey={key} unusual={unusual.data?.has(key.keyId)} />
          </p>
        </div>
        <KeyActions apiKey={key} onOpen={open} />
      </div>
      <div className="detail-grid">
        <section className="card" aria-labelledby="details-heading">
          <h2 id="details-heading">Details</h2>
          <dl className="facts facts-grid">
            <Fact label="Key ID">
              <code>{key.keyId}</code>
            </Fact>
            <Fact label="Name">{key.name}</Fact>
            <Fact label="Description">{key.description || <span className="muted">None</span>}</Fact>
            <Fact label="Owner">{key.owner}</Fact>
            <Fact label="Type">{TYPE_LABEL[key.type]}</Fact>
            <Fact label="Scope">{formatScope(key.scope)}</Fact>
            <Fact label="Environment">{key.environment}</Fact>
            <Fact label="Roles">
              <Chips items={key.roles} empty="None" />
            </Fact>
            <Fact label="Permissions">
              <Chips items={key.permissions} empty="None besides the roles'" />
            </Fact>
            <Fact label="IP allowlist">
              <Chips items={key.ipAllowlist ?? []} empty="Any address" />
            </Fact>
            <Fact label="Metadata">
              <Chips items={Object.entries(key.metadata ?? {}).map(([k, v]) => `${k}=${v}`)} empty="None" />
            </Fact>
            {key.plan && <Fact label="Plan">{key.plan}</Fact>}
            {key.plan && (
              <Fact label="Quota used">
                <QuotaFact keyId={key.keyId} />
              </Fact>
            )}
            {key.usageIdentifierKey && (
              <Fact label="Usage identifier key">
                <code>{key.usageIdentifierKey}</code>
              </Fact>
            )}
            <Fact label="Secret">
              <span className="muted">Not retrievable (shown once, at creation)</span>
            </Fact>
            <Fact label="Created">
              {time(key.createdAt)} by {key.createdBy}
            </Fact>
            <Fact label="Updated">{time(key.updatedAt)}</Fact>
            <Fact label="Expires">{time(key.expiresAt)}</Fact>
            <Fact label="Last used">{time(key.lastUsedAt)}</Fact>
            {key.revokedAt && <Fact label="Revoked">{time(key.revokedAt)}</Fact>}
            <Fact label="Version">{key.version}</Fact>
          </dl>
        </section>
        <RotationSection apiKey={key} />
      </div>
      <UsageSection keyId={key.keyId} />
      <AuditSection keyId={key.keyId} />
      {dialogs}
    </>
  );
}

function Breadcrumb({ name }: { name: string }) {
  return (
    <nav aria-label="Breadcrumb" className="breadcrumb">
      <ol>
        <li>
          <Link href="/">API Keys</Link>
        </li>
        <li aria-current="page">{name}</li>
      </ol>
    </nav>
  );
}

function RotationSection({ apiKey }: { apiKey: ApiKey }) {
  const audit = useInfiniteQuery(keyAuditQuery(apiKey.keyId));
  const entries = (audit.data?.pages ?? []).flatMap((p) => p.items);
  const reminders = entries.filter(
    (e) => e.action === 'key.rotation_due' || e.action === 'key.rotation_reminder',
  );
  const days = Math.round((Date.parse(apiKey.rotationDueAt) - Date.now()) / DAY);
  return (
    <section className="card" aria-labelledby="rotation-heading">
      <h2 id="rotation-heading">Rotation</h2>
      <dl className="facts">
        <Fact label="Due">
          {time(apiKey.rotationDueAt)}{' '}
          {apiKey.status === 'revoked' ? null : apiKey.rotationDue || days < 0 ? (
            <span className="badge badge-rotation">
              {days < 0 ? `Overdue by ${-days} days` : 'Rotation due'}
            </span>
          ) : (
            <span className="muted">in {days} days</span>
          )}
        </Fact>
        <Fact label="Rotation period">
          {apiKey.rotationDays ?? (apiKey.environment === 'production' ? 90 : 180)} days
        </Fact>
        <Fact label="Reminders sent">
          {reminders.length === 0 ? (
            <span className="muted">None</span>
          ) : (
            <ul className="plain">
              {reminders.map((r) => (
                <li key={`${r.at}${r.requestId}`}>
                  {r.action === 'key.rotation_due' ? 'Flagged due' : 'Reminder'} {formatRelative(r.at)}
                </li>
              ))}
            </ul>
          )}
        </Fact>
        <Fact label="Rotated from">
          {apiKey.rotatedFrom ? (
            <Link href={keyHref(apiKey.rotatedFrom)}>{apiKey.rotatedFrom}</Link>
          ) : (
            <span className="muted">None (an original key)</span>
          )}
        </Fact>
        <Fact label="Rotated to">
          {apiKey.rotatedTo ? (
            <Link href={keyHref(apiKey.rotatedTo)}>{apiKey.rotatedTo}</Link>
          ) : (
            <span className="muted">Not rotated yet</span>
          )}
        </Fact>
      </dl>
    </section>
  );
}

function UsageSection({ keyId }: { keyId: string }) {
  const usage = useQuery(keyUsageQuery(keyId));
  return (
    <section className="card" aria-labelledby="usage-heading">
      <h2 id="usage-heading">Usage, last 30 days</h2>
      <ErrorMessage error={usage.error} prefix="Usage could not be loaded" />
      {usage.isPending && <p role="status">Loading usage…</p>}
      {usage.data && (
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
            <div>
              <dt>Last used</dt>
              <dd>{usage.data.lastUsedAt ? formatRelative(usage.data.lastUsedAt) : 'Never'}</dd>
            </div>
          </dl>
          <Suspense fallback={<p role="status">Loading the chart…</p>}>
            <UsageChart usage={usage.data} />
          </Suspense>
        </>
      )}
    </section>
  );
}

const ACTIONS: Record<string, string> = {
  'key.created': 'Created',
  'key.updated': 'Updated',
  'key.enabled': 'Enabled',
  'key.disabled': 'Disabled',
  'key.revoked': 'Revoked',
  'key.deleted': 'Deleted',
  'key.rotated': 'Rotated',
  'key.rotation_due': 'Flagged for rotation',
  'key.rotation_reminder': 'Rotation reminder',
  'key.expiring': 'Expiring',
  'key.unused': 'Unused',
  'key.expired': 'Expired',
  'key.imported': 'Imported',
  'key.quota_threshold': 'Quota threshold announced',
  'key.unusual_activity': 'Unusual activity',
  'key.usage_key_attached': 'Usage plan key attached',
  'key.usage_key_removed': 'Usage plan key removed',
};

const show = (value: unknown) =>
  value === undefined || value === null ? '—' : typeof value === 'string' ? value : JSON.stringify(value);

/** Fields every created key has; the created entry lists only what the creator chose. */
const BOOKKEEPING = new Set([
  'keyId',
  'createdAt',
  'createdBy',
  'updatedAt',
  'rotationDueAt',
  'rotationDue',
  'status',
  'version',
]);

function Changes({ entry }: { entry: AuditEntry }) {
  const created = entry.action === 'key.created';
  const changes = Object.entries(entry.changes ?? {}).filter(
    ([field]) => !created || !BOOKKEEPING.has(field),
  );
  if (changes.length === 0) return <span className="muted">—</span>;
  if (created) {
    return (
      <ul className="plain">
        {changes.map(([field, c]) => (
          <li key={field}>
            <code>{field}</code>: {show(c.after)}
          </li>
        ))}
      </ul>
    );
  }
  return (
    <ul className="plain">
      {changes.map(([field, c]) => (
        <li key={field}>
          <code>{field}</code>: {show(c.before)} → {show(c.after)}
        </li>
      ))}
    </ul>
  );
}

function AuditSection({ keyId }: { keyId: string }) {
  const audit = useInfiniteQuery(keyAuditQuery(keyId));
  const entries = (audit.data?.pages ?? []).flatMap((p) => p.items);
  return (
    <section className="card" aria-labelledby="audit-heading">
      <h2 id="audit-heading">Audit history</h2>
      <ErrorMessage error={audit.error} prefix="The audit history could not be loaded" />
      {audit.isPending && <p role="status">Loading history…</p>}
      {audit.isSuccess && entries.length === 0 && <p className="muted">No recorded actions.</p>}
      {entries.length > 0 && (
        <ScrollRegion label="Audit history, scrollable">
          <table className="table">
            <caption className="visually-hidden">Audit history</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Action</th>
                <th scope="col">Actor</th>
                <th scope="col">Changes</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={`${e.at}${e.requestId}${e.action}`}>
                  <td className="nowrap">
                    <time dateTime={e.at}>{formatDateTime(e.at)}</time>
                  </td>
                  <td>{ACTIONS[e.action] ?? e.action}</td>
                  <td className="cell-scope">{e.actor}</td>
                  <td>
                    <Changes entry={e} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      )}
      {audit.hasNextPage && (
        <button
          type="button"
          className="button"
          disabled={audit.isFetchingNextPage}
          onClick={() => void audit.fetchNextPage()}
        >
          Load older entries
        </button>
      )}
    </section>
  );
}
