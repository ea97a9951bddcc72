import type { TopRoutes, TopSourceIps } from '@latchkey/client/types';
import { ScrollRegion } from '../scroll-region.tsx';

interface Entry {
  readonly name: string;
  readonly requests: number;
}

function TopList({
  title,
  column,
  entries,
  other,
  empty,
}: {
  title: string;
  column: string;
  entries: Entry[];
  other: number;
  empty: string;
}) {
  const total = entries.reduce((sum, e) => sum + e.requests, other);
  const share = (n: number) => (total === 0 ? '0%' : `${Math.round((100 * n) / total)}%`);
  const id = `top-${title.toLowerCase().replaceAll(' ', '-')}`;
  return (
    <div>
      <h3 id={id}>{title}</h3>
      {entries.length === 0 ? (
        <p className="muted small">{empty}</p>
      ) : (
        <ScrollRegion label={`${title}, scrollable`}>
          <table className="table table-compact" aria-labelledby={id}>
            <thead>
              <tr>
                <th scope="col">{column}</th>
                <th scope="col" className="numeric">
                  Requests
                </th>
                <th scope="col" className="numeric">
                  Share
                </th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.name}>
                  <td className="name">
                    <code>{e.name}</code>
                  </td>
                  <td className="numeric">{e.requests}</td>
                  <td className="numeric">{share(e.requests)}</td>
                </tr>
              ))}
              {other > 0 && (
                <tr>
                  <td className="muted">Other</td>
                  <td className="numeric">{other}</td>
                  <td className="numeric">{share(other)}</td>
                </tr>
              )}
            </tbody>
          </table>
        </ScrollRegion>
      )}
    </div>
  );
}

/**
 * A key's top 20 routes and source addresses by requests, over the window, with every other one
 * counted as "Other" (the API's lists: each day keeps its own top 20).
 */
export function TopLists({ routes, sourceIps }: { routes: TopRoutes; sourceIps: TopSourceIps }) {
  return (
    <div className="top-lists">
      <TopList
        title="Top routes"
        column="Route"
        entries={routes.top.map((r) => ({ name: r.route, requests: r.requests }))}
        other={routes.other}
        empty="No routes yet."
      />
      <TopList
        title="Top source IPs"
        column="Address"
        entries={sourceIps.top.map((r) => ({ name: r.sourceIp, requests: r.requests }))}
        other={sourceIps.other}
        empty="No source addresses (a TOKEN authorizer sees none)."
      />
    </div>
  );
}
