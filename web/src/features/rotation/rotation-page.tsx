import type { ApiKey, SweepEntry, SweepResult } from '@latchkey/client/types';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useEffect, useId, useState } from 'react';
import { useApi } from '../../api/client.ts';
import { keysListQuery, useSweep } from '../../api/keys.ts';
import { Dialog } from '../../components/dialog.tsx';
import { ErrorMessage } from '../../components/error-message.tsx';
import { useKeyDialogs } from '../../components/keys/key-actions.tsx';
import { QueryState } from '../../components/query-state.tsx';
import { ScrollRegion } from '../../components/scroll-region.tsx';
import { calendarDays, formatDate, formatDateTime } from '../../lib/format.ts';
import { NARROW, useMediaQuery } from '../../lib/media.ts';
import { Link } from '../../lib/router.tsx';

/**
 * Where a flagged key stands against today: overdue, due today, or not due yet (a sweep run as of
 * a later day flags keys early).
 */
export function dueState(rotationDueAt: string, now = Date.now()): string {
  const late = calendarDays(Date.parse(rotationDueAt), now);
  if (late > 0) return `${late} ${late === 1 ? 'day' : 'days'} overdue`;
  if (late === 0) return 'Due today';
  return `Due in ${-late} ${late === -1 ? 'day' : 'days'} (flagged early)`;
}

/** Keys the sweep has flagged as due (or overdue) for rotation, and the sweep on demand. */
export function RotationPage() {
  const due = useInfiniteQuery(keysListQuery(useApi(), { rotationDue: true }));
  const [sweeping, setSweeping] = useState(false);
  const { open, dialogs } = useKeyDialogs();
  const keys = (due.data?.pages ?? []).flatMap((p) => p.items).filter((k) => k.status !== 'revoked');
  const cards = useMediaQuery(NARROW);
  const name = (key: ApiKey) => (
    <Link id={`due-${key.keyId}`} href={`/keys/${encodeURIComponent(key.keyId)}`}>
      {key.name === key.keyId ? <span className="unnamed">Unnamed key</span> : key.name}
    </Link>
  );
  const rotate = (key: ApiKey) => (
    <button
      type="button"
      className="button button-small"
      aria-describedby={`due-${key.keyId}`}
      onClick={() => open('rotate', key)}
    >
      Rotate
    </button>
  );
  return (
    <>
      <div className="page-header">
        <div>
          <h1 id="page-heading" tabIndex={-1}>
            Rotation
          </h1>
          <p className="muted">
            Production keys are due every 90 days, development keys every 180. The sweep flags due keys and
            reminds their owners until they are rotated or revoked.
          </p>
        </div>
        <button type="button" className="button button-primary" onClick={() => setSweeping(true)}>
          Run sweep now
        </button>
      </div>
      <QueryState
        query={due}
        prefix="The due keys could not be listed"
        loading="Loading keys due for rotation…"
        rows={4}
      />
      {due.isSuccess && keys.length === 0 && !due.hasNextPage && (
        <div className="empty">
          <h2>No keys are due for rotation</h2>
          <p>Keys the sweep flags appear here. Run the sweep to check now.</p>
        </div>
      )}
      {keys.length > 0 && cards && (
        <ul className="key-cards" aria-label="Keys due for rotation">
          {keys.map((key) => (
            <li key={key.keyId} className="key-card">
              <div className="key-card-head">
                <h2 className="key-card-name">{name(key)}</h2>
                {rotate(key)}
              </div>
              <code className="key-id block">{key.keyId}</code>
              <span>
                {dueState(key.rotationDueAt)}{' '}
                <span className="muted">· due {formatDate(key.rotationDueAt)}</span>
              </span>
              <span className="muted small">{key.owner}</span>
            </li>
          ))}
        </ul>
      )}
      {keys.length > 0 && !cards && (
        <ScrollRegion label="Keys due for rotation, scrollable">
          <table className="table">
            <caption className="visually-hidden">Keys due for rotation</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Key ID</th>
                <th scope="col">Owner</th>
                <th scope="col">Due</th>
                <th scope="col">State</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {keys.map((key) => {
                return (
                  <tr key={key.keyId}>
                    <th scope="row">{name(key)}</th>
                    <td>
                      <code>{key.keyId}</code>
                    </td>
                    <td>{key.owner}</td>
                    <td className="nowrap">{formatDate(key.rotationDueAt)}</td>
                    <td>{dueState(key.rotationDueAt)}</td>
                    <td>{rotate(key)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </ScrollRegion>
      )}
      {due.hasNextPage && (
        <button type="button" className="button" onClick={() => void due.fetchNextPage()}>
          Load more keys
        </button>
      )}
      {sweeping && <SweepDialog onClose={() => setSweeping(false)} />}
      {dialogs}
    </>
  );
}

function EntryList({ title, entries, empty }: { title: string; entries: SweepEntry[]; empty: string }) {
  return (
    <section aria-label={title}>
      <h3>
        {title} ({entries.length})
      </h3>
      {entries.length === 0 ? (
        <p className="muted">{empty}</p>
      ) : (
        <ul className="plain">
          {entries.map((e) => (
            <li key={e.keyId}>
              <strong>{e.name}</strong> <code>{e.keyId}</code> · {e.owner}
              {e.rotationDueAt ? ` · due ${formatDate(e.rotationDueAt)}` : ''}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/**
 * Why a run can announce other numbers than its preview: a run checks expiry, unused keys and
 * unusual activity as of now, never as of a later day (it would give away slots of keys that still
 * work). Said beside those numbers, whenever the dates differ.
 */
function NoticesNote({ result }: { result: SweepResult }) {
  const asOf = Date.parse(result.asOf);
  const noticesAsOf = Date.parse(result.noticesAsOf);
  if (result.dryRun) {
    if (calendarDays(Date.now(), asOf) <= 0) return null;
    return (
      <p className="note">
        A real run as of {formatDate(result.asOf)} flags and reminds as previewed, but announces expiring,
        unused and unusual keys only as of when it runs, so these three can show fewer keys than this preview.
      </p>
    );
  }
  if (Math.abs(asOf - noticesAsOf) < 60_000) return null;
  return (
    <p className="note">
      These three were checked as of {formatDateTime(result.noticesAsOf)}, not {formatDateTime(result.asOf)}:
      a run never announces expiry, unused keys or unusual activity ahead of time, so they can differ from the
      preview.
    </p>
  );
}

function SweepSummary({ result }: { result: SweepResult }) {
  const verb = result.dryRun ? 'Would' : '';
  return (
    <div>
      <p>
        {result.dryRun ? 'Preview' : 'Sweep run'} as of {formatDateTime(result.asOf)}
        {result.failed ? `; ${result.failed} changes could not be announced and will be retried` : ''}.
      </p>
      <EntryList
        title={`${verb ? `${verb} flag` : 'Flagged'} as due`}
        entries={result.flagged}
        empty="None"
      />
      <EntryList title={`${verb ? `${verb} remind` : 'Reminded'}`} entries={result.reminded} empty="None" />
      <NoticesNote result={result} />
      <EntryList
        title={`${verb ? `${verb} announce` : 'Announced'} as expiring soon`}
        entries={result.expiringSoon}
        empty="None"
      />
      <EntryList
        title={`${verb ? `${verb} announce` : 'Announced'} as unused`}
        entries={result.unused ?? []}
        empty="None"
      />
      <EntryList
        title={`${verb ? `${verb} announce` : 'Announced'} for unusual activity`}
        entries={result.unusual ?? []}
        empty="None"
      />
    </div>
  );
}

/** A dry run first, showing what would happen; then, confirmed, the real sweep (optionally as of a later day). */
function SweepDialog({ onClose }: { onClose: () => void }) {
  const preview = useSweep();
  const run = useSweep();
  const [asOfDate, setAsOfDate] = useState('');
  const asOfId = useId();
  const asOf = asOfDate ? new Date(`${asOfDate}T12:00:00`).toISOString() : undefined;
  const { mutate: previewMutate } = preview;
  useEffect(() => previewMutate({ dryRun: true }), [previewMutate]);
  // The real run is offered only for the day its preview was shown for.
  const previewed = preview.isSuccess && preview.variables?.asOf === asOf;
  return (
    <Dialog title="Run the rotation sweep" onClose={onClose} wide>
      <ErrorMessage error={preview.error} prefix="The preview failed" />
      <ErrorMessage error={run.error} prefix="The sweep failed" />
      {run.data ? (
        <>
          <p role="status" className="success">
            Sweep complete: {run.data.flagged.length} flagged, {run.data.reminded.length} reminded.
          </p>
          <SweepSummary result={run.data} />
          <div className="dialog-actions">
            <button type="button" className="button button-primary" onClick={onClose}>
              Done
            </button>
          </div>
        </>
      ) : (
        <>
          <p>This is a preview (a dry run): nothing changes until you run the sweep.</p>
          <div className="field-row sweep-as-of">
            <div className="field">
              <label htmlFor={asOfId}>As of</label>
              <input
                id={asOfId}
                type="date"
                value={asOfDate}
                onChange={(event) => setAsOfDate(event.currentTarget.value)}
                aria-describedby={`${asOfId}-hint`}
              />
              <p id={`${asOfId}-hint`} className="hint">
                Optional: preview or run the sweep as of another day. Empty means now.
              </p>
            </div>
            <button
              type="button"
              className="button"
              disabled={preview.isPending}
              onClick={() => previewMutate({ dryRun: true, asOf })}
            >
              Preview
            </button>
          </div>
          {preview.isPending && <p role="status">Checking what the sweep would do…</p>}
          {preview.data && !preview.isPending && <SweepSummary result={preview.data} />}
          <div className="dialog-actions">
            <button type="button" className="button" onClick={onClose}>
              Cancel
            </button>
            <button
              type="button"
              className="button button-primary"
              disabled={!previewed || preview.isPending || run.isPending}
              onClick={() => run.mutate({ dryRun: false, asOf })}
            >
              {run.isPending ? 'Running…' : 'Run sweep'}
            </button>
          </div>
        </>
      )}
    </Dialog>
  );
}
