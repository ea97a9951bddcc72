import type { KeyDetail } from '@latchkey/client/types';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useApi } from '../../api/client.ts';
import { keyDetailQuery } from '../../api/keys.ts';
import { hasStatus } from '../../lib/api-error.ts';
import { Link, useNavigate } from '../../lib/router.tsx';
import { KeyBadges } from '../badges.tsx';
import { ErrorMessage } from '../error-message.tsx';
import { KeyBreadcrumb } from '../facts.tsx';
import { RotationNote } from '../key-notes.tsx';
import { Skeleton } from '../skeleton.tsx';
import { KeyActions, useKeyDialogs } from './key-actions.tsx';

/**
 * One key's page around what it shows: loading, a failure or a missing key with the way back, and
 * the header (name, ID, badges, rotation note, the key's actions); its dialogs last. A deleted key
 * goes back to the list.
 */
export function KeyPageFrame({
  keyId,
  unusual,
  notFound,
  children,
}: {
  keyId: string;
  /** Flagged unusual today: the badge in the header. */
  unusual?: boolean;
  /** What a 404 says; without it, the API's message (with no Retry). */
  notFound?: ReactNode;
  /** The page under its header. */
  children: (key: KeyDetail) => ReactNode;
}) {
  const navigate = useNavigate();
  const detail = useQuery(keyDetailQuery(useApi(), keyId));
  const { open, dialogs } = useKeyDialogs(() => navigate('/'));
  if (detail.isPending) return <Skeleton label="Loading key…" rows={8} />;
  if (detail.isError) {
    const missing = hasStatus(detail.error, 404);
    return (
      <>
        <KeyBreadcrumb name={keyId} />
        <h1 id="page-heading" tabIndex={-1}>
          {missing ? 'Key not found' : 'Key'}
        </h1>
        {missing && notFound ? (
          notFound
        ) : (
          <ErrorMessage
            error={detail.error}
            onRetry={missing ? undefined : () => void detail.refetch()}
            retrying={detail.isFetching}
          />
        )}
        <p>
          <Link href="/">Back to API Keys</Link>
        </p>
      </>
    );
  }
  const key = detail.data;
  return (
    <>
      <KeyBreadcrumb name={key.name} />
      <div className="page-header">
        <div>
          <h1 id="page-heading" tabIndex={-1}>
            {key.name}
          </h1>
          <p>
            <code>{key.keyId}</code> <KeyBadges apiKey={key} unusual={unusual} />
          </p>
          <RotationNote apiKey={key} />
        </div>
        <KeyActions apiKey={key} onOpen={open} />
      </div>
      {children(key)}
      {dialogs}
    </>
  );
}
