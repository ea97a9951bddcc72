import type { ApiKey, KeyDetail } from '@latchkey/client/types';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useApi } from '../../api/client.ts';
import { keyAuditQuery } from '../../api/keys.ts';
import { unusualKeysQuery } from '../../api/usage.ts';
import { Chips } from '../../components/badges.tsx';
import { Fact, factTime, KeyDetails } from '../../components/facts.tsx';
import { formatScope, TYPE_LABEL } from '../../components/key-labels.ts';
import { KeyPageFrame } from '../../components/keys/key-page-frame.tsx';
import { KeyUsage } from '../../components/keys/key-usage.tsx';
import { QuotaFact } from '../../components/keys/plan-picker.tsx';
import { RequestsSection } from '../../components/keys/requests-section.tsx';
import { LoadMore, QueryState } from '../../components/query-state.tsx';
import { ScrollRegion } from '../../components/scroll-region.tsx';
import { DAY, formatDateTime, formatRelative } from '../../lib/format.ts';
import { Link } from '../../lib/router.tsx';
import { AuditChanges, actionLabel } from './audit-changes.tsx';

const keyHref = (keyId: string) => `/keys/${encodeURIComponent(keyId)}`;

/** One key: every field, 30 days of usage, rotation state and its audit history. */
export function KeyDetailPage({ keyId }: { keyId: string }) {
  const unusual = useQuery(unusualKeysQuery(useApi()));
  return (
    <KeyPageFrame keyId={keyId} unusual={unusual.data?.has(keyId)}>
      {(key) => {
        const canary = key.type === 'canary';
        return (
          <>
            <div className="detail-grid">
              <KeyDetails apiKey={key}>
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
                  <Chips
                    items={Object.entries(key.metadata ?? {}).map(([k, v]) => `${k}=${v}`)}
                    empty="None"
                  />
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
                  {factTime(key.createdAt)} by {key.createdBy}
                </Fact>
                <Fact label="Updated">{factTime(key.updatedAt)}</Fact>
                <Fact label="Expires">{factTime(key.expiresAt)}</Fact>
                {!canary && <Fact label="Last used">{factTime(key.lastUsedAt)}</Fact>}
                {!canary && key.lastUsedRoute && (
                  <Fact label="Last request">
                    <code>{key.lastUsedRoute}</code>
                    <br />
                    <span className="muted small">
                      from {key.lastUsedIp ?? 'an unknown address'}
                      {key.lastUsedAgent ? `, ${key.lastUsedAgent}` : ''}
                    </span>
                  </Fact>
                )}
                {key.revokedAt && <Fact label="Revoked">{factTime(key.revokedAt)}</Fact>}
                <Fact label="Version">{key.version}</Fact>
              </KeyDetails>
              {canary ? <TripsSection apiKey={key} /> : <RotationSection apiKey={key} />}
            </div>
            <KeyUsage keyId={key.keyId} canary={canary} />
            <RequestsSection keyId={key.keyId} canary={canary} />
            <AuditSection keyId={key.keyId} />
          </>
        );
      }}
    </KeyPageFrame>
  );
}

function RotationSection({ apiKey }: { apiKey: KeyDetail }) {
  const audit = useInfiniteQuery(keyAuditQuery(useApi(), apiKey.keyId));
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
          {apiKey.rotatedTo ? (
            // A replaced key is done with rotation: it only runs out its grace.
            <span className="muted">
              Not due: already rotated
              {apiKey.expiresAt && apiKey.status !== 'revoked' && (
                <>
                  ; works until <time dateTime={apiKey.expiresAt}>{formatDateTime(apiKey.expiresAt)}</time>
                </>
              )}
            </span>
          ) : (
            <>
              {factTime(apiKey.rotationDueAt)}{' '}
              {apiKey.status === 'revoked' ? null : apiKey.rotationDue || days < 0 ? (
                <span className="badge badge-rotation">
                  {days < 0 ? `Overdue by ${-days} ${-days === 1 ? 'day' : 'days'}` : 'Rotation due'}
                </span>
              ) : (
                <span className="muted">
                  {days === 0 ? 'today' : `in ${days} ${days === 1 ? 'day' : 'days'}`}
                </span>
              )}
            </>
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
        {apiKey.graceUsage && (
          <Fact label="Old key since the rotation">
            {apiKey.graceUsage.requests} {apiKey.graceUsage.requests === 1 ? 'request' : 'requests'} since{' '}
            {factTime(apiKey.graceUsage.since)}; last used{' '}
            {apiKey.graceUsage.lastUsedAt ? factTime(apiKey.graceUsage.lastUsedAt) : 'never'}
            {apiKey.graceUsage.lastUsedAt && (
              <span className="muted"> (callers still use it: move them before the grace ends)</span>
            )}
          </Fact>
        )}
      </dl>
    </section>
  );
}

/** A canary instead of rotation: whether it was triggered, when, how often and from where. */
function TripsSection({ apiKey }: { apiKey: ApiKey }) {
  const trips = apiKey.tripCount ?? 0;
  return (
    <section className="card" aria-labelledby="trips-heading">
      <h2 id="trips-heading">Canary</h2>
      {trips === 0 ? (
        <p className="muted">
          Not triggered. Any request that presents this key is refused as an unknown key would be, and is
          recorded here, with an alarm and an event.
        </p>
      ) : (
        <>
          <p className="warning warning-strong">
            Triggered {trips === 1 ? 'once' : `${trips} times`}: someone presented this planted key.
          </p>
          <dl className="facts">
            <Fact label="Last triggered">
              {factTime(apiKey.lastTrippedAt)}
              {apiKey.lastTrippedAt && (
                <span className="muted"> ({formatRelative(apiKey.lastTrippedAt)})</span>
              )}
            </Fact>
            <Fact label="From">
              {apiKey.lastTripSourceIp ?? <span className="muted">Address unknown</span>}
            </Fact>
            <Fact label="Request">
              {apiKey.lastTripRoute ? (
                <code>{apiKey.lastTripRoute}</code>
              ) : (
                <span className="muted">Unknown</span>
              )}
            </Fact>
            <Fact label="First triggered">{factTime(apiKey.firstTrippedAt)}</Fact>
          </dl>
        </>
      )}
      <p className="muted small">A canary is never valid, so it is never due for rotation.</p>
    </section>
  );
}

function AuditSection({ keyId }: { keyId: string }) {
  const audit = useInfiniteQuery(keyAuditQuery(useApi(), keyId));
  const entries = (audit.data?.pages ?? []).flatMap((p) => p.items);
  return (
    <section className="card" aria-labelledby="audit-heading">
      <h2 id="audit-heading">Audit history</h2>
      <QueryState
        query={audit}
        prefix="The audit history could not be loaded"
        loading="Loading history…"
        rows={3}
      />
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
                  <td>{actionLabel(e.action)}</td>
                  <td className="cell-scope">{e.actor}</td>
                  <td>
                    <AuditChanges entry={e} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      )}
      <LoadMore query={audit} label="Load older entries" pendingLabel="Load older entries" />
    </section>
  );
}
