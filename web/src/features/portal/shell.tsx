import type { PortalSession } from '@latchkey/client/types';
import { useEffect, useRef, useState } from 'react';
import { formatDateTime } from '../../lib/format.ts';
import { safeLogo } from './branding.ts';
import type { WayBack } from './way-back.ts';

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });

/** When the session ends: the time today, with the date when it is another day. */
function SessionEnd({ at }: { at: string }) {
  const end = new Date(at);
  const today = end.toDateString() === new Date().toDateString();
  return (
    <time dateTime={at} title={formatDateTime(at)}>
      {today ? timeFormat.format(end) : formatDateTime(at)}
    </time>
  );
}

/** The team's logo (https only) beside its product name; a logo that does not load is left out. */
function Brand({ branding }: { branding: PortalSession['branding'] }) {
  const logo = safeLogo(branding?.logoUrl);
  const [broken, setBroken] = useState(false);
  return (
    <span className="brand portal-brand">
      {logo && !broken && (
        // The name beside it says what the logo says: the image is decoration for readers.
        <img className="portal-logo" src={logo} alt="" onError={() => setBroken(true)} />
      )}
      <span className="portal-product">{branding?.productName ?? 'API keys'}</span>
    </span>
  );
}

/**
 * The portal's bar: the team's product (name, logo; the accent colour is set on the page), who is
 * signed in and until when, and Sign out. Nothing of the operator's dashboard.
 */
export function PortalHeader({
  branding,
  back,
  session,
  onSignOut,
  signingOut,
}: {
  branding: PortalSession['branding'];
  back: WayBack;
  /** The live session; none once it has ended. */
  session?: PortalSession;
  onSignOut: () => void;
  signingOut: boolean;
}) {
  return (
    <header className="topbar portal-bar">
      <div className="portal-home">
        <Brand branding={branding ?? (back.productName ? { productName: back.productName } : undefined)} />
        <BackLink back={back} />
      </div>
      {session && (
        <div className="portal-user">
          <span className="portal-who">
            Signed in as <strong>{session.subject}</strong>
          </span>
          <span className="muted small">
            Session ends at <SessionEnd at={session.expiresAt} />
          </span>
        </div>
      )}
      {session && (
        <button type="button" className="button button-quiet" disabled={signingOut} onClick={onSignOut}>
          {signingOut ? 'Signing out…' : 'Sign out'}
        </button>
      )}
    </header>
  );
}

/** "Back to Acme": the team's page the portal was opened from. */
function BackLink({ back }: { back: WayBack }) {
  if (!back.returnUrl) return null;
  return (
    <a className="back-link small" href={back.returnUrl}>
      <span aria-hidden="true">← </span>
      Back to {back.label}
    </a>
  );
}

/**
 * What a portal shows once its session is over (it ran out, was ended, or the user signed out):
 * a calm page that says so, that the keys are unchanged, and the way back for a new link.
 */
export function SessionEnded({ back, signedOut }: { back: WayBack; signedOut: boolean }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const product = back.productName;
  return (
    <div className="card session-ended">
      <h1 id="page-heading" tabIndex={-1} ref={heading}>
        {signedOut ? 'You have signed out' : 'Your session has ended'}
      </h1>
      <p>
        {signedOut
          ? 'This page no longer has access to your API keys.'
          : 'For your security, this page works only for a limited time after you open it.'}{' '}
        Your keys are unchanged and keep working.
      </p>
      <p>
        To manage your API keys again, go back to {product ?? 'the product you came from'} and open API keys
        from there.
      </p>
      {back.returnUrl && (
        <p>
          <a className="button button-primary" href={back.returnUrl}>
            Back to {back.label}
          </a>
        </p>
      )}
    </div>
  );
}
