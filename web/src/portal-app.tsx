import type { PortalSession } from '@latchkey/client/types';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useApi } from './api/client.ts';
import { portalSessionQuery, useSignOut } from './api/portal.ts';
import { ErrorMessage } from './components/error-message.tsx';
import { KeyActionsProvider } from './components/keys/key-actions.tsx';
import { Skeleton } from './components/skeleton.tsx';
import { useToast } from './components/toast.tsx';
import { useAccent } from './features/portal/branding.ts';
import { EditKeyDialog } from './features/portal/edit-key-dialog.tsx';
import { allowedKeyActions, PortalSessionProvider } from './features/portal/session.tsx';
import { PortalHeader, SessionEnded } from './features/portal/shell.tsx';
import { recallWayBack, rememberWayBack, wayBackOf } from './features/portal/way-back.ts';
import { useLocation } from './lib/router.tsx';
import { portalRoute } from './routes/portal.tsx';

/**
 * The self-service portal: the same app as the dashboard, mounted at /portal for one user of a
 * team's product. It reads its session (GET /portal/api/session) once, then shows only the
 * portal's pages, in the team's colours, with what the session permits. `ended`: an API call
 * was answered 401, so the session is over (main.tsx).
 */
export function PortalApp({ ended }: { ended: boolean }) {
  const api = useApi();
  const toast = useToast();
  const [signedOut, setSignedOut] = useState(false);
  const over = ended || signedOut;
  const session = useQuery({ ...portalSessionQuery(api), enabled: !over });
  const signOut = useSignOut();
  // The last session read, so its branding stays on the page after it ends (and the cache is cleared).
  const last = useRef<PortalSession | undefined>(undefined);
  if (session.data) last.current = session.data;
  const data = last.current;
  const back = data ? wayBackOf(data) : recallWayBack();
  useEffect(() => {
    if (data) rememberWayBack(wayBackOf(data));
  }, [data]);
  useAccent(data?.branding?.accentColor);
  const config = useMemo(
    () => ({ allowed: data ? allowedKeyActions(data) : new Set<never>(), EditDialog: EditKeyDialog }),
    [data],
  );
  const location = useLocation();
  const page = data && !over ? portalRoute(location) : undefined;
  const title = over ? (signedOut && !ended ? 'Signed out' : 'Session ended') : (page?.title ?? 'API Keys');
  useEffect(() => {
    document.title = `${title} · ${back.productName ?? 'API keys'}`;
  }, [title, back.productName]);

  const onSignOut = () =>
    signOut.mutate(undefined, {
      onSuccess: () => setSignedOut(true),
      onError: (error) => toast({ message: `You were not signed out: ${error.message}` }),
    });

  return (
    <div className="portal">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <PortalHeader
        branding={data?.branding}
        back={back}
        session={over ? undefined : data}
        onSignOut={onSignOut}
        signingOut={signOut.isPending}
      />
      <main id="main" className="main">
        {over ? (
          <SessionEnded back={back} signedOut={signedOut && !ended} />
        ) : !data ? (
          <>
            <ErrorMessage
              error={session.error}
              prefix="Your access could not be checked"
              onRetry={() => void session.refetch()}
              retrying={session.isFetching}
            />
            {!session.error && <Skeleton label="Loading your API keys…" rows={6} />}
          </>
        ) : (
          <PortalSessionProvider value={data}>
            <KeyActionsProvider value={config}>{page?.element}</KeyActionsProvider>
          </PortalSessionProvider>
        )}
      </main>
    </div>
  );
}
