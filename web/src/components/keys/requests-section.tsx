import type { RequestRow } from '@latchkey/client/types';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useApi } from '../../api/client.ts';
import { keyRequestsCsv, keyRequestsQuery } from '../../api/keys.ts';
import { saveText } from '../../lib/download.ts';
import { formatDateTime, formatRelative } from '../../lib/format.ts';
import { ErrorMessage } from '../error-message.tsx';
import { LoadMore, QueryState } from '../query-state.tsx';
import { ScrollRegion } from '../scroll-region.tsx';

/** "Export CSV": the newest requests as the API's CSV (formula-safe), saved as a file. */
function ExportCsv({ keyId }: { keyId: string }) {
  const api = useApi();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const exportCsv = async () => {
    setError(null);
    setBusy(true);
    try {
      saveText(await keyRequestsCsv(api, keyId), `latchkey-requests-${keyId}.csv`);
    } catch (cause) {
      setError(cause);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="section-actions">
      <button type="button" className="button" disabled={busy} onClick={() => void exportCsv()}>
        {busy ? 'Exporting…' : 'Export CSV'}
      </button>
      <ErrorMessage error={error} prefix="The CSV could not be exported" />
    </div>
  );
}

const Outcome = ({ outcome }: { outcome: string }) => (
  <span className={`outcome ${outcome === 'ALLOWED' ? 'outcome-allowed' : 'outcome-refused'}`}>
    {outcome}
  </span>
);

function RequestRows({ rows }: { rows: readonly RequestRow[] }) {
  return (
    <ScrollRegion label="Recent requests, scrollable">
      <table className="table table-compact requests-table">
        <caption className="visually-hidden">Recent requests, newest first</caption>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Outcome</th>
            <th scope="col">Request</th>
            <th scope="col">Source IP</th>
            <th scope="col">Agent</th>
            <th scope="col" className="numeric">
              Latency
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            // Two requests can share a time, an outcome and a route; their place in the list is theirs.
            // biome-ignore lint/suspicious/noArrayIndexKey: the list only grows at its end (older pages)
            <tr key={`${r.at}#${i}`}>
              <td className="nowrap">
                <time dateTime={r.at} title={formatDateTime(r.at)}>
                  {formatRelative(r.at)}
                </time>
              </td>
              <td>
                <Outcome outcome={r.outcome} />
              </td>
              <td className="cell-request">
                <code>
                  {r.method} {r.path}
                </code>
              </td>
              <td className="nowrap">{r.sourceIp ?? <span className="muted">—</span>}</td>
              <td className="cell-agent">{r.userAgent ?? <span className="muted">—</span>}</td>
              <td className="numeric nowrap">{r.latencyMs} ms</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}

/**
 * A key's recent requests, newest first: when, the outcome (ALLOWED or the refusal code), the
 * route, the source address, the agent and the check's latency; older pages on demand, and the
 * newest ones as CSV.
 */
export function RequestsSection({ keyId, canary = false }: { keyId: string; canary?: boolean }) {
  const requests = useInfiniteQuery(keyRequestsQuery(useApi(), keyId));
  const rows = (requests.data?.pages ?? []).flatMap((p) => p.items);
  return (
    <section className="card" aria-labelledby="requests-heading">
      <div className="section-header">
        <h2 id="requests-heading">Requests</h2>
        {rows.length > 0 && <ExportCsv keyId={keyId} />}
      </div>
      <p className="muted small">
        The most recent requests that named this key, newest first, within a minute or so of each one. Kept 7
        days; the last 100 always.
      </p>
      <QueryState
        query={requests}
        prefix="Requests could not be loaded"
        loading="Loading requests…"
        rows={4}
      />
      {requests.isSuccess && rows.length === 0 && (
        <div className="empty empty-compact">
          <h3>No requests in the last 7 days</h3>
          <p>
            {canary
              ? 'A request that presents this canary shows here, refused, with where it came from.'
              : 'Each request made with this key shows here: allowed, or why it was refused.'}
          </p>
        </div>
      )}
      {rows.length > 0 && <RequestRows rows={rows} />}
      <LoadMore query={requests} label="Load older requests" />
    </section>
  );
}
