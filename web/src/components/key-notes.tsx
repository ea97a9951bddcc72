import type { ApiKey } from '@latchkey/client/types';
import { formatDateTime, formatRelative } from '../lib/format.ts';
import { Link } from '../lib/router.tsx';

const keyHref = (keyId: string) => `/keys/${encodeURIComponent(keyId)}`;

/**
 * Which side of a rotation a key is on, so the two keys of one integration can be told apart:
 * the old one is "replaced by key_…, works until …", the new one "replaces key_…".
 */
export function RotationNote({
  apiKey,
}: {
  apiKey: { rotatedFrom?: string; rotatedTo?: string; expiresAt: string | null; status: string };
}) {
  if (!apiKey.rotatedFrom && !apiKey.rotatedTo) return null;
  const live = apiKey.status === 'active' || apiKey.status === 'inactive';
  return (
    <span className="rotation-note small">
      {apiKey.rotatedTo && (
        <span className="block">
          Replaced by{' '}
          <Link href={keyHref(apiKey.rotatedTo)} className="key-id">
            {apiKey.rotatedTo}
          </Link>
          {live && apiKey.expiresAt && (
            <>
              , works until <time dateTime={apiKey.expiresAt}>{formatDateTime(apiKey.expiresAt)}</time>
            </>
          )}
        </span>
      )}
      {apiKey.rotatedFrom && (
        <span className="block">
          Replaces{' '}
          <Link href={keyHref(apiKey.rotatedFrom)} className="key-id">
            {apiKey.rotatedFrom}
          </Link>
        </span>
      )}
    </span>
  );
}

/** A canary's latest trip in a few words: when, and from where as far as the service knows. */
export function LastTrip({ apiKey }: { apiKey: Pick<ApiKey, 'lastTrippedAt' | 'lastTripSourceIp'> }) {
  if (!apiKey.lastTrippedAt) return <span className="muted">Never triggered</span>;
  return (
    <>
      <time dateTime={apiKey.lastTrippedAt} title={formatDateTime(apiKey.lastTrippedAt)}>
        Triggered {formatRelative(apiKey.lastTrippedAt)}
      </time>
      {apiKey.lastTripSourceIp && <span className="muted small block">from {apiKey.lastTripSourceIp}</span>}
    </>
  );
}
