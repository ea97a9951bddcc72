import type { ApiKey } from '@latchkey/client/types';
import { formatDate, formatDateTime, formatRelative } from '../../lib/format.ts';
import { NARROW, useMediaQuery } from '../../lib/media.ts';
import { Link } from '../../lib/router.tsx';
import { Chips, KeyBadges } from '../badges.tsx';
import { formatScopeShort, TYPE_LABEL } from '../key-labels.ts';
import { LastTrip, RotationNote } from '../key-notes.tsx';
import { ScrollRegion } from '../scroll-region.tsx';
import { KeyActionsMenu, type OpenKeyDialog, useKeyActionsConfig } from './key-actions.tsx';

/**
 * Which columns: the operator's (roles, owner with type and scope, expiry) or a portal user's,
 * the seeds' (Name, Key ID, Role, Created, Last used, Status, Actions).
 */
type KeysTableColumns = 'operator' | 'portal';

interface KeysViewProps {
  keys: ApiKey[];
  columns: KeysTableColumns;
  /** Keys flagged for unusual activity today. */
  unusual?: ReadonlySet<string>;
  onOpen: OpenKeyDialog;
}

/**
 * The API keys, as a table whose columns fit its width (long names and descriptions are cut to
 * two lines, whole on hover and focus), with each row's actions behind one "Actions" menu; on a
 * narrow screen, as one card per key.
 */
export function KeysTable(props: KeysViewProps) {
  const cards = useMediaQuery(NARROW);
  return cards ? <KeyCards {...props} /> : <KeyRows {...props} />;
}

const NONE: ReadonlySet<string> = new Set();

const keyHref = (keyId: string) => `/keys/${encodeURIComponent(keyId)}`;
/** A key created without a name is named after its ID: the ID is shown once, in its own column. */
const unnamed = (key: ApiKey) => key.name === key.keyId;

function KeyName({ apiKey, id }: { apiKey: ApiKey; id: string }) {
  return (
    <Link
      id={id}
      href={keyHref(apiKey.keyId)}
      className="clamp"
      title={unnamed(apiKey) ? undefined : apiKey.name}
    >
      {unnamed(apiKey) ? <span className="unnamed">Unnamed key</span> : apiKey.name}
    </Link>
  );
}

function KeyRows({ keys, columns, unusual = NONE, onOpen }: KeysViewProps) {
  const operator = columns === 'operator';
  const actions = useKeyActionsConfig().allowed.size > 0;
  return (
    <ScrollRegion label="API keys, scrollable">
      <table className={`table keys-table keys-table-${columns}`}>
        <caption className="visually-hidden">API keys</caption>
        <colgroup>
          <col className="col-name" />
          <col className="col-id" />
          <col className="col-roles" />
          {operator && <col className="col-owner" />}
          <col className="col-date" />
          {operator && <col className="col-date" />}
          <col className="col-used" />
          <col className="col-status" />
          {actions && <col className="col-actions" />}
        </colgroup>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Key ID</th>
            <th scope="col">{operator ? 'Roles' : 'Role'}</th>
            {operator && <th scope="col">Owner</th>}
            <th scope="col">Created</th>
            {operator && <th scope="col">Expires</th>}
            <th scope="col">Last used</th>
            <th scope="col">Status</th>
            {actions && (
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {keys.map((key) => (
            <KeyRow
              key={key.keyId}
              apiKey={key}
              operator={operator}
              actions={actions}
              unusual={unusual.has(key.keyId)}
              onOpen={onOpen}
            />
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}

const When = ({ iso, relative = false }: { iso: string; relative?: boolean }) => (
  <time dateTime={iso} title={formatDateTime(iso)}>
    {relative ? formatRelative(iso) : formatDate(iso)}
  </time>
);

const Expires = ({ apiKey }: { apiKey: ApiKey }) =>
  apiKey.expiresAt ? <When iso={apiKey.expiresAt} /> : <span className="muted">Never</span>;

function LastUsed({ apiKey }: { apiKey: ApiKey }) {
  if (apiKey.type === 'canary') return <LastTrip apiKey={apiKey} />;
  return apiKey.lastUsedAt ? <When iso={apiKey.lastUsedAt} relative /> : <span className="muted">Never</span>;
}

function KeyRow({
  apiKey,
  operator,
  actions,
  unusual,
  onOpen,
}: {
  apiKey: ApiKey;
  operator: boolean;
  actions: boolean;
  unusual: boolean;
  onOpen: OpenKeyDialog;
}) {
  const nameId = `name-${apiKey.keyId}`;
  return (
    <tr>
      <th scope="row" className="cell-name">
        <KeyName apiKey={apiKey} id={nameId} />
        {apiKey.description && (
          <span className="muted small block clamp cell-description" title={apiKey.description}>
            {apiKey.description}
          </span>
        )}
        {!operator && <span className="muted small block key-type">{TYPE_LABEL[apiKey.type]} key</span>}
        <RotationNote apiKey={apiKey} />
      </th>
      <td>
        <code className="key-id">{apiKey.keyId}</code>
      </td>
      <td>
        <Chips items={apiKey.roles} />
      </td>
      {operator && (
        <td className="cell-owner">
          <span className="clamp" title={apiKey.owner}>
            {apiKey.owner}
          </span>
          <span className="muted small block clamp" title={formatScopeShort(apiKey.scope)}>
            {TYPE_LABEL[apiKey.type]} · {formatScopeShort(apiKey.scope)}
          </span>
        </td>
      )}
      <td>
        <When iso={apiKey.createdAt} />
      </td>
      {operator && (
        <td>
          <Expires apiKey={apiKey} />
        </td>
      )}
      <td>
        <LastUsed apiKey={apiKey} />
      </td>
      <td>
        <KeyBadges apiKey={apiKey} unusual={unusual} />
      </td>
      {actions && (
        <td>
          <KeyActionsMenu apiKey={apiKey} describedBy={nameId} onOpen={onOpen} />
        </td>
      )}
    </tr>
  );
}

/** One card per key: name, status and actions first, then what tells keys apart. */
function KeyCards({ keys, columns, unusual = NONE, onOpen }: KeysViewProps) {
  const operator = columns === 'operator';
  return (
    <ul className="key-cards" aria-label="API keys">
      {keys.map((key) => {
        const nameId = `name-${key.keyId}`;
        return (
          <li key={key.keyId} className="key-card">
            <div className="key-card-head">
              <h2 className="key-card-name">
                <KeyName apiKey={key} id={nameId} />
              </h2>
              <KeyActionsMenu apiKey={key} describedBy={nameId} onOpen={onOpen} />
            </div>
            <KeyBadges apiKey={key} unusual={unusual.has(key.keyId)} />
            <code className="key-id block">{key.keyId}</code>
            {key.description && (
              <span className="muted small block clamp" title={key.description}>
                {key.description}
              </span>
            )}
            <RotationNote apiKey={key} />
            <dl className="key-card-facts">
              <div>
                <dt>{operator ? 'Owner' : 'Type'}</dt>
                <dd>{operator ? key.owner : TYPE_LABEL[key.type]}</dd>
              </div>
              <div>
                <dt>{operator ? 'Roles' : 'Role'}</dt>
                <dd>
                  <Chips items={key.roles} />
                </dd>
              </div>
              <div>
                <dt>Last used</dt>
                <dd>
                  <LastUsed apiKey={key} />
                </dd>
              </div>
              <div>
                <dt>{operator ? 'Expires' : 'Created'}</dt>
                <dd>{operator ? <Expires apiKey={key} /> : <When iso={key.createdAt} />}</dd>
              </div>
            </dl>
          </li>
        );
      })}
    </ul>
  );
}
