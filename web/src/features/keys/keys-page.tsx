import type { BulkAction, BulkFilter } from '@latchkey/client/types';
import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { bulkDryRunQuery } from '../../api/bulk.ts';
import { useApi } from '../../api/client.ts';
import type { KeyFilters } from '../../api/keys.ts';
import { rolesQuery } from '../../api/roles.ts';
import { unusualKeysQuery } from '../../api/usage.ts';
import { CreateKeyDialog } from '../../components/keys/create-key-dialog.tsx';
import { useKeyDialogs } from '../../components/keys/key-actions.tsx';
import { KeyListFooter, KeyListState, useKeyList } from '../../components/keys/key-list.tsx';
import { KeysTable } from '../../components/keys/keys-table.tsx';
import { useDebouncedParam } from '../../lib/debounced-param.ts';
import { useNavigate, withQuery } from '../../lib/router.tsx';
import { BulkDialog } from './bulk-dialog.tsx';

/** The filters of the keys page, as its URL holds them. */
export type KeysSearch = Pick<KeyFilters, 'search' | 'owner' | 'role' | 'status'>;

export function KeysPage({ search }: { search: KeysSearch }) {
  const api = useApi();
  const navigate = useNavigate();
  // A filter change replaces the URL (`search`, `owner`, `role`, `status`), so a view can be shared.
  const setSearch = (next: KeysSearch) => navigate(withQuery('/', { ...next }), { replace: true });
  const [creating, setCreating] = useState(false);
  const { open, dialogs } = useKeyDialogs();
  const list = useKeyList(search);
  const { keys } = list;
  const roles = useQuery(rolesQuery(api));
  const unusual = useQuery(unusualKeysQuery(api));

  const [searchText, setSearchText] = useDebouncedParam(search.search, (v) =>
    setSearch({ ...search, search: v }),
  );
  const [ownerText, setOwnerText] = useDebouncedParam(search.owner, (v) =>
    setSearch({ ...search, owner: v }),
  );
  const filtered = Boolean(search.search || search.owner || search.role || search.status);
  // The kill switch: with a filter applied (revoked keys are done already), every key it matches.
  const { status } = search;
  const bulkFilter: BulkFilter | undefined =
    (search.search || search.owner || search.role) && status !== 'revoked'
      ? { ...search, status }
      : undefined;
  const revokeAll = useQuery({
    ...bulkDryRunQuery(api, bulkFilter ?? {}, 'revoke'),
    enabled: bulkFilter !== undefined,
  });
  const disableAll = useQuery({
    ...bulkDryRunQuery(api, bulkFilter ?? {}, 'disable'),
    enabled: bulkFilter !== undefined,
  });
  const [bulk, setBulk] = useState<BulkAction | undefined>();
  const bulkDryRun = bulk === 'revoke' ? revokeAll.data : bulk === 'disable' ? disableAll.data : undefined;
  const owners = [...new Set(keys.map((k) => k.owner))].sort();
  const ids = { search: useId(), owner: useId(), owners: useId(), role: useId(), status: useId() };

  return (
    <>
      <div className="page-header">
        <div>
          <h1 id="page-heading" tabIndex={-1}>
            API Keys
          </h1>
          <p className="muted">Create, scope, rotate and revoke the keys that reach your APIs.</p>
        </div>
        <button type="button" className="button button-primary" onClick={() => setCreating(true)}>
          Create API Key
        </button>
      </div>
      <search className="filters" aria-label="Filter keys">
        <div className="field field-grow">
          <label htmlFor={ids.search}>Search</label>
          <input
            id={ids.search}
            type="search"
            placeholder="Name, key ID or description"
            value={searchText}
            onChange={(event) => setSearchText(event.currentTarget.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={ids.owner}>Owner</label>
          <input
            id={ids.owner}
            type="text"
            list={ids.owners}
            placeholder="Any owner"
            aria-describedby={`${ids.owner}-hint`}
            value={ownerText}
            onChange={(event) => setOwnerText(event.currentTarget.value)}
          />
          <p id={`${ids.owner}-hint`} className="visually-hidden">
            Matches any part of the owner, as Search does.
          </p>
          <datalist id={ids.owners}>
            {owners.map((o) => (
              <option key={o} value={o} />
            ))}
          </datalist>
        </div>
        <div className="field">
          <label htmlFor={ids.role}>Role</label>
          <select
            id={ids.role}
            value={search.role ?? ''}
            onChange={(event) => setSearch({ ...search, role: event.currentTarget.value || undefined })}
          >
            <option value="">Any role</option>
            {(roles.data ?? []).map((r) => (
              <option key={r.name} value={r.name}>
                {r.name}
              </option>
            ))}
            {search.role && !roles.data?.some((r) => r.name === search.role) && (
              <option value={search.role}>{search.role}</option>
            )}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.status}>Status</label>
          <select
            id={ids.status}
            value={search.status ?? ''}
            onChange={(event) =>
              setSearch({
                ...search,
                status: (event.currentTarget.value || undefined) as KeysSearch['status'],
              })
            }
          >
            <option value="">All but revoked</option>
            <option value="active">Active</option>
            <option value="inactive">Inactive</option>
            <option value="expired">Expired</option>
            <option value="revoked">Revoked</option>
          </select>
        </div>
        <button
          type="button"
          className="button"
          disabled={!filtered && !searchText && !ownerText}
          onClick={() => {
            setSearchText('');
            setOwnerText('');
            setSearch({});
          }}
        >
          Clear
        </button>
      </search>
      <KeyListState
        list={list}
        filtered={filtered}
        empty={
          <>
            <h2>No API keys yet</h2>
            <p>
              Create a key for each application or integration that calls your API. Its secret is shown once,
              when you create it: copy it into your secrets manager or environment, then send it as{' '}
              <code>Authorization: Bearer &lt;secret&gt;</code>.
            </p>
            <button type="button" className="button button-primary" onClick={() => setCreating(true)}>
              Create your first key
            </button>
          </>
        }
      />
      {bulkFilter && (revokeAll.data || disableAll.data) && (
        <section className="bulk-bar" aria-label="Act on every key these filters match">
          <p className="muted small">
            Every key these filters match{search.owner ? ` (owner exactly “${search.owner}”)` : ''}:
          </p>
          <button
            type="button"
            className="button button-danger"
            disabled={!revokeAll.data?.matched}
            onClick={() => {
              // A fresh dry run: its count and token are what the dialog confirms.
              void revokeAll.refetch();
              setBulk('revoke');
            }}
          >
            Revoke all {revokeAll.data?.matched ?? 0}
          </button>
          <button
            type="button"
            className="button"
            disabled={!disableAll.data?.matched}
            onClick={() => {
              void disableAll.refetch();
              setBulk('disable');
            }}
          >
            Disable all {disableAll.data?.matched ?? 0}
          </button>
        </section>
      )}
      {keys.length > 0 && <KeysTable keys={keys} columns="operator" unusual={unusual.data} onOpen={open} />}
      <KeyListFooter list={list} />
      {creating && <CreateKeyDialog onClose={() => setCreating(false)} />}
      {bulk && bulkFilter && bulkDryRun && (
        <BulkDialog
          action={bulk}
          filter={bulkFilter}
          dryRun={bulkDryRun}
          onClose={() => setBulk(undefined)}
        />
      )}
      {dialogs}
    </>
  );
}
