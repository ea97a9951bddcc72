import type { ApiKey, KeyStatus } from '@latchkey/client/types';

const LABEL: Record<KeyStatus, string> = {
  active: 'Active',
  inactive: 'Inactive',
  revoked: 'Revoked',
  expired: 'Expired',
};

function StatusBadge({ status }: { status: KeyStatus }) {
  return <span className={`badge badge-${status}`}>{LABEL[status]}</span>;
}

export function KeyBadges({ apiKey, unusual = false }: { apiKey: ApiKey; unusual?: boolean }) {
  const trips = apiKey.tripCount ?? 0;
  return (
    <span className="badges">
      <StatusBadge status={apiKey.status} />
      {trips > 0 && (
        <span className="badge badge-triggered">Triggered {trips === 1 ? 'once' : `${trips} times`}</span>
      )}
      {apiKey.rotationDue && apiKey.status !== 'revoked' && !apiKey.rotatedTo && (
        <span className="badge badge-rotation">Rotation due</span>
      )}
      {apiKey.rotatedTo && apiKey.status !== 'revoked' && (
        <span className="badge badge-replaced">Replaced</span>
      )}
      {unusual && <UnusualBadge />}
    </span>
  );
}

/** Today's requests are far above the key's own baseline (see the Usage page). */
export function UnusualBadge() {
  return (
    <span className="badge badge-unusual" title="Today's requests are far above this key's usual daily count">
      Unusual
    </span>
  );
}

export function Chips({ items, empty = '—' }: { items: readonly string[]; empty?: string }) {
  if (items.length === 0) return <span className="muted">{empty}</span>;
  return (
    <span className="chips">
      {items.map((item) => (
        <span key={item} className="chip">
          {item}
        </span>
      ))}
    </span>
  );
}
