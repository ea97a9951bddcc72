import type { ApiKey } from '../../api/types.ts';
import { Chips, KeyBadges } from '../../components/badges.tsx';
import { ScrollRegion } from '../../components/scroll-region.tsx';
import { formatDate, formatDateTime, formatRelative, TYPE_LABEL } from '../../lib/format.ts';
import { Link } from '../../lib/router.tsx';
import { KeyActions, type OpenKeyDialog } from './key-actions.tsx';

/** The "API keys" table; it scrolls sideways inside its own container on narrow screens. */
export function KeysTable({
  keys,
  unusual,
  onOpen,
}: {
  keys: ApiKey[];
  /** Keys flagged for unusual activity today. */
  unusual: ReadonlySet<string>;
  onOpen: OpenKeyDialog;
}) {
  return (
    <ScrollRegion label="API keys, scrollable">
      <table className="table">
        <caption className="visually-hidden">API keys</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Key ID</th>
            <th scope="col">Roles</th>
            <th scope="col">Owner</th>
            <th scope="col">Type</th>
            <th scope="col">Scope</th>
            <th scope="col">Created</th>
            <th scope="col">Expires</th>
            <th scope="col">Last used</th>
            <th scope="col">Status</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {keys.map((key) => (
            <KeyRow key={key.keyId} apiKey={key} unusual={unusual.has(key.keyId)} onOpen={onOpen} />
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}

/** The scope in two short lines: its kind, then its IDs. */
function ScopeCell({ scope }: { scope: ApiKey['scope'] }) {
  if ('workspaceId' in scope) {
    return (
      <>
        <span className="muted small block">Workspace</span>
        {scope.workspaceId}
      </>
    );
  }
  return (
    <>
      <span className="muted small block">Organization {scope.organizationId}</span>
      {scope.workspaceIds === '*' ? 'all workspaces' : scope.workspaceIds.join(', ')}
    </>
  );
}

function KeyRow({ apiKey, unusual, onOpen }: { apiKey: ApiKey; unusual: boolean; onOpen: OpenKeyDialog }) {
  const nameId = `name-${apiKey.keyId}`;
  return (
    <tr>
      <th scope="row" className="cell-name">
        <Link id={nameId} href={`/keys/${encodeURIComponent(apiKey.keyId)}`}>
          {apiKey.name}
        </Link>
        {apiKey.description && (
          <span className="muted small block cell-description">{apiKey.description}</span>
        )}
      </th>
      <td>
        <code className="nowrap">{apiKey.keyId}</code>
      </td>
      <td>
        <Chips items={apiKey.roles} />
      </td>
      <td>{apiKey.owner}</td>
      <td>{TYPE_LABEL[apiKey.type]}</td>
      <td className="cell-scope">
        <ScopeCell scope={apiKey.scope} />
      </td>
      <td className="nowrap">
        <time dateTime={apiKey.createdAt} title={formatDateTime(apiKey.createdAt)}>
          {formatDate(apiKey.createdAt)}
        </time>
      </td>
      <td className="nowrap">
        {apiKey.expiresAt ? (
          <time dateTime={apiKey.expiresAt} title={formatDateTime(apiKey.expiresAt)}>
            {formatDate(apiKey.expiresAt)}
          </time>
        ) : (
          <span className="muted">Never</span>
        )}
      </td>
      <td className="nowrap">
        {apiKey.lastUsedAt ? (
          <time dateTime={apiKey.lastUsedAt} title={formatDateTime(apiKey.lastUsedAt)}>
            {formatRelative(apiKey.lastUsedAt)}
          </time>
        ) : (
          <span className="muted">Never</span>
        )}
      </td>
      <td>
        <KeyBadges apiKey={apiKey} unusual={unusual} />
      </td>
      <td>
        <KeyActions apiKey={apiKey} describedBy={nameId} onOpen={onOpen} />
      </td>
    </tr>
  );
}
