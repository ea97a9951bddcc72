import { useState } from 'react';
import type { KeyFilters } from '../../api/keys.ts';
import { useKeyDialogs } from '../../components/keys/key-actions.tsx';
import { KeyFilterBar } from '../../components/keys/key-filter-bar.tsx';
import { KeyListFooter, KeyListState, NoKeysYet, useKeyList } from '../../components/keys/key-list.tsx';
import { KeysTable } from '../../components/keys/keys-table.tsx';
import { useReplaceQuery } from '../../lib/router.tsx';
import { CreateKeyDialog } from './create-key-dialog.tsx';
import { may, scopeInWords, usePortalSession } from './session.tsx';

type PortalKeysSearch = Pick<KeyFilters, 'search' | 'status'>;

/**
 * The seeds' API Keys page, for one user of the team's product: the keys of their session's
 * scope (the API lists no others), search, and what their permissions allow.
 */
export function PortalKeysPage({ search }: { search: PortalKeysSearch }) {
  const session = usePortalSession();
  const product = session.branding?.productName;
  const [creating, setCreating] = useState(false);
  const canCreate = may(session, 'api.key.create');
  const create = canCreate ? () => setCreating(true) : undefined;
  return (
    <>
      <div className="page-header">
        <div>
          <h1 id="page-heading" tabIndex={-1}>
            API Keys
          </h1>
          <p className="muted">
            Keys let your applications call the {product ? `${product} ` : ''}API. These are the keys of{' '}
            {scopeInWords(session.scope)}.
          </p>
        </div>
        {create && (
          <button type="button" className="button button-primary" onClick={create}>
            Create API Key
          </button>
        )}
      </div>
      {may(session, 'api.key.view') ? (
        <KeyList search={search} onCreate={create} />
      ) : (
        <div className="empty">
          <h2>Your keys are not listed here</h2>
          <p>
            You may create keys on this page, but not see the list of keys. A key's secret is shown once, when
            you create it.
          </p>
        </div>
      )}
      {creating && <CreateKeyDialog onClose={() => setCreating(false)} />}
    </>
  );
}

function KeyList({ search, onCreate }: { search: PortalKeysSearch; onCreate?: () => void }) {
  // The filters live in the URL (`search`, `status`), so a reload keeps the view.
  const setSearch = useReplaceQuery();
  const list = useKeyList(search);
  const { open, dialogs } = useKeyDialogs();
  const filtered = Boolean(search.search || search.status);
  return (
    <>
      <KeyFilterBar
        value={search}
        onChange={(patch) => setSearch({ ...search, ...patch })}
        onClear={() => setSearch({})}
        filtered={filtered}
        placeholder="Name or key ID"
      />
      <KeyListState
        list={list}
        filtered={filtered}
        empty={
          <NoKeysYet onCreate={onCreate}>
            <p>
              Create a key for each application or integration. Its secret is shown once, when you create it:
              keep it somewhere safe, such as a secrets manager or your application's environment.
            </p>
          </NoKeysYet>
        }
      />
      {list.keys.length > 0 && <KeysTable keys={list.keys} columns="portal" onOpen={open} />}
      <KeyListFooter list={list} />
      {dialogs}
    </>
  );
}
