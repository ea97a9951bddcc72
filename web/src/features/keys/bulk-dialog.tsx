import type { BulkAction, BulkDryRun, BulkFilter } from '@latchkey/client/types';
import { useId, useState } from 'react';
import { useBulkRun } from '../../api/bulk.ts';
import { DangerActions } from '../../components/danger-actions.tsx';
import { Dialog } from '../../components/dialog.tsx';
import { ErrorMessage } from '../../components/error-message.tsx';
import { ScrollRegion } from '../../components/scroll-region.tsx';

const VERB: Record<BulkAction, { title: string; pending: string; done: string; consequence: string }> = {
  revoke: {
    title: 'Revoke',
    pending: 'Revoking',
    done: 'Revoked',
    consequence: 'Applications using these keys will stop working. Revoking cannot be undone.',
  },
  disable: {
    title: 'Disable',
    pending: 'Disabling',
    done: 'Disabled',
    consequence: 'Applications using these keys will stop working until each key is enabled again.',
  },
};

/** The filter in words, as the run will apply it (the owner exactly). */
function describe(filter: BulkFilter): string {
  const parts = [
    filter.owner && `owner is exactly “${filter.owner}”`,
    filter.search && `name, key ID or description contains “${filter.search}”`,
    filter.role && `role ${filter.role}`,
    filter.status && `status ${filter.status}`,
  ].filter(Boolean);
  return parts.join(', ');
}

/**
 * The kill switch's confirmation: the consequence, what the filter matched (the dry run's count
 * and its first keys), and the count typed to confirm; then the run, to its end.
 */
export function BulkDialog({
  action,
  filter,
  dryRun,
  onClose,
}: {
  action: BulkAction;
  filter: BulkFilter;
  dryRun: BulkDryRun;
  onClose: () => void;
}) {
  const run = useBulkRun();
  const [typed, setTyped] = useState('');
  const ids = { consequence: useId(), count: useId(), hint: useId() };
  const verb = VERB[action];
  const matches = typed.trim() === String(dryRun.matched);
  if (run.data) {
    const { affected, failed } = run.data;
    return (
      <Dialog title={`${verb.done} ${affected} ${affected === 1 ? 'key' : 'keys'}`} onClose={onClose}>
        <p role="status">
          {verb.done} {affected} {affected === 1 ? 'key' : 'keys'}; each has its own audit record and event.
        </p>
        {failed.length > 0 && (
          <>
            <p className="warning">These could not be changed (they kept changing); act on each alone:</p>
            <ul>
              {failed.map((f) => (
                <li key={f.keyId}>
                  <code>{f.keyId}</code>: {f.message}
                </li>
              ))}
            </ul>
          </>
        )}
        <div className="dialog-actions">
          <button type="button" className="button button-primary" onClick={onClose}>
            Done
          </button>
        </div>
      </Dialog>
    );
  }
  return (
    <Dialog
      title={`${verb.title} ${dryRun.matched} API keys`}
      onClose={onClose}
      wide
      describedBy={ids.consequence}
    >
      <p id={ids.consequence} className="warning warning-strong">
        {verb.consequence}
      </p>
      <p>
        {dryRun.matched} {dryRun.matched === 1 ? 'key matches' : 'keys match'}: {describe(filter)}.
        {dryRun.matched > dryRun.sample.length ? ` The first ${dryRun.sample.length}:` : ''}
      </p>
      <ScrollRegion label={`Keys this will ${action}`}>
        <table className="table">
          <caption className="visually-hidden">Keys this will {action}</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Key ID</th>
              <th scope="col">Owner</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {dryRun.sample.map((k) => (
              <tr key={k.keyId}>
                <td>{k.name}</td>
                <td>
                  <code>{k.keyId}</code>
                </td>
                <td>{k.owner}</td>
                <td>{k.status}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
      <div className="field">
        <label htmlFor={ids.count}>Type {dryRun.matched} to confirm</label>
        <input
          id={ids.count}
          inputMode="numeric"
          autoComplete="off"
          aria-describedby={ids.hint}
          value={typed}
          onChange={(event) => setTyped(event.currentTarget.value)}
        />
        <p id={ids.hint} className="muted small">
          The number of keys, so a filter that matches more than you meant is caught here.
        </p>
      </div>
      <ErrorMessage error={run.error} prefix={`The keys were not ${verb.done.toLowerCase()}`} />
      <DangerActions
        label={`${verb.title} all ${dryRun.matched}`}
        pendingLabel={`${verb.pending}…`}
        pending={run.isPending}
        disabled={!matches}
        onCancel={onClose}
        onConfirm={() => run.mutate({ filter, action, confirm: dryRun.confirm })}
      />
    </Dialog>
  );
}
