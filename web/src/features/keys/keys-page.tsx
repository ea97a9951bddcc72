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
import { KeyFilterBar } from '../../components/keys/key-filter-bar.tsx';
import { KeyListFooter, KeyListState, NoKeysYet, useKeyList } from '../../components/keys/key-list.tsx';
import { KeysTable } from '../../components/keys/keys-table.tsx';
import { useDebouncedParam } from '../../lib/debounced-param.ts';
import { useReplaceQuery } from '../../lib/router.tsx';
import { BulkDialog } from './bulk-dialog.tsx';

/** The filters of the keys page, as its URL holds them. */
export type KeysSearch = Pick<KeyFilters, 'search' | 'owner' | 'role' | 'status'>;

export function KeysPage({ search }: { search: KeysSearch }) {
  const api = useApi();
  // A filter change replaces the URL (`search`, `owner`, `role`, `status`), so a view can be shared.
  const setSearch = useReplaceQuery();
  const change = (patch: KeysSearch) => setSearch({ ...search, ...patch });
  const [creating, setCreating] = useState(false);
  const { open, dialogs } = useKeyDialogs();
  const list = useKeyList(search);
  const { keys } = list;
  const roles = useQuery(rolesQuery(api));
  const unusual = useQuery(unusualKeysQuery(api));

  const [ownerText, setOwnerText] = useDebouncedParam(search.owner, (owner) => change({ owner }));
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
  const ids = { owner: useId(), owners: useId(), role: useId() };

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
      <KeyFilterBar
        value={search}
        onChange={change}
        onClear={() => {
          setOwnerText('');
          setSearch({});
        }}
        filtered={filtered}
        placeholder="Name, key ID or description"
        dirty={Boolean(ownerText)}
      >
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
            onChange={(event) => change({ role: event.currentTarget.value || undefined })}
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
      </KeyFilterBar>
      <KeyListState
        list={list}
        filtered={filtered}
        empty={
          <NoKeysYet onCreate={() => setCreating(true)}>
            <p>
              Create a key for each application or integration that calls your API. Its secret is shown once,
              when you create it: copy it into your secrets manager or environment, then send it as{' '}
              <code>Authorization: Bearer &lt;secret&gt;</code>.
            </p>
          </NoKeysYet>
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
