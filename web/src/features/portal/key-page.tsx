import { Chips } from '../../components/badges.tsx';
import { Fact, factTime, KeyDetails } from '../../components/facts.tsx';
import { formatScope, TYPE_LABEL } from '../../components/key-labels.ts';
import { KeyPageFrame } from '../../components/keys/key-page-frame.tsx';
import { KeyUsage } from '../../components/keys/key-usage.tsx';
import { usePortalSession } from './session.tsx';

/** One key, as its user sees it: what it is, what it may do, its 30 days of use, and its actions. */
export function PortalKeyPage({ keyId }: { keyId: string }) {
  const session = usePortalSession();
  return (
    <KeyPageFrame
      keyId={keyId}
      notFound={<p>There is no key {keyId} among your keys. It may have been deleted.</p>}
    >
      {(key) => {
        const yours = key.type === 'personal' && key.owner === session.subject;
        return (
          <>
            <KeyDetails apiKey={key}>
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
            </KeyDetails>
            <KeyUsage keyId={key.keyId} canary={false} />
          </>
        );
      }}
    </KeyPageFrame>
  );
}
