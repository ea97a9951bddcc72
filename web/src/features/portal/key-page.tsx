import { useQuery } from '@tanstack/react-query';
import { ApiError, useApi } from '../../api/client.ts';
import { keyDetailQuery } from '../../api/keys.ts';
import { Chips, KeyBadges } from '../../components/badges.tsx';
import { ErrorMessage } from '../../components/error-message.tsx';
import { Fact, factTime, KeyBreadcrumb } from '../../components/facts.tsx';
import { formatScope, TYPE_LABEL } from '../../components/key-labels.ts';
import { RotationNote } from '../../components/key-notes.tsx';
import { KeyActions, useKeyDialogs } from '../../components/keys/key-actions.tsx';
import { KeyUsage } from '../../components/keys/key-usage.tsx';
import { Skeleton } from '../../components/skeleton.tsx';
import { Link, useNavigate } from '../../lib/router.tsx';
import { usePortalSession } from './session.tsx';

/** One key, as its user sees it: what it is, what it may do, its 30 days of use, and its actions. */
export function PortalKeyPage({ keyId }: { keyId: string }) {
  const session = usePortalSession();
  const navigate = useNavigate();
  const detail = useQuery(keyDetailQuery(useApi(), keyId));
  const { open, dialogs } = useKeyDialogs(() => navigate('/'));
  if (detail.isPending) return <Skeleton label="Loading key…" rows={8} />;
  if (detail.isError) {
    const missing = detail.error instanceof ApiError && detail.error.status === 404;
    return (
      <>
        <KeyBreadcrumb name={keyId} />
        <h1 id="page-heading" tabIndex={-1}>
          {missing ? 'Key not found' : 'Key'}
        </h1>
        {missing ? (
          <p>There is no key {keyId} among your keys. It may have been deleted.</p>
        ) : (
          <ErrorMessage
            error={detail.error}
            onRetry={() => void detail.refetch()}
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
  const yours = key.type === 'personal' && key.owner === session.subject;
  return (
    <>
      <KeyBreadcrumb name={key.name} />
      <div className="page-header">
        <div>
          <h1 id="page-heading" tabIndex={-1}>
            {key.name}
          </h1>
          <p>
            <code>{key.keyId}</code> <KeyBadges apiKey={key} />
          </p>
          <RotationNote apiKey={key} />
        </div>
        <KeyActions apiKey={key} onOpen={open} />
      </div>
      <section className="card" aria-labelledby="details-heading">
        <h2 id="details-heading">Details</h2>
        <dl className="facts facts-grid">
          <Fact label="Key ID">
            <code>{key.keyId}</code>
          </Fact>
          <Fact label="Name">{key.name}</Fact>
          <Fact label="Type">
            {TYPE_LABEL[key.type]}
            {yours ? ' (yours)' : key.type === 'personal' ? ` (${key.owner})` : ''}
          </Fact>
          <Fact label="Role">
            <Chips items={key.roles} empty="None" />
          </Fact>
          <Fact label="Access">{formatScope(key.scope)}</Fact>
          <Fact label="IP allowlist">
            <Chips items={key.ipAllowlist ?? []} empty="Any address" />
          </Fact>
          <Fact label="Created">{factTime(key.createdAt)}</Fact>
          <Fact label="Expires">{factTime(key.expiresAt)}</Fact>
          <Fact label="Last used">{factTime(key.lastUsedAt)}</Fact>
          {key.revokedAt && <Fact label="Revoked">{factTime(key.revokedAt)}</Fact>}
          <Fact label="Secret">
            <span className="muted">Not retrievable (shown once, when the key was created)</span>
          </Fact>
        </dl>
      </section>
      <KeyUsage keyId={key.keyId} canary={false} />
      {dialogs}
    </>
  );
}
