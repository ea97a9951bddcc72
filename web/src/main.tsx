import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { lazy, StrictMode, Suspense, useSyncExternalStore } from 'react';
import { createRoot } from 'react-dom/client';
import { ApiError, ApiProvider, operatorApi, portalApi } from './api/client.ts';
import { Skeleton } from './components/skeleton.tsx';
import { ToastProvider } from './components/toast.tsx';
import { hasStatus } from './lib/api-error.ts';
import { isPortalPage, PORTAL_BASE } from './lib/portal-paths.ts';
import { RouterBase } from './lib/router.tsx';
import { adoptTokenFromFragment } from './lib/token.ts';
import './styles.css';

/**
 * One app, two audiences, chosen once by the page's path: the operator's dashboard (at `/`,
 * the management API with the admin token) or a portal session (at `/portal`, the portal API
 * with its cookie). Each loads only its own shell and pages.
 */
const portal = isPortalPage(window.location.pathname);
const App = lazy(() => import('./app.tsx').then((m) => ({ default: m.App })));
const PortalApp = lazy(() => import('./portal-app.tsx').then((m) => ({ default: m.PortalApp })));

if (!portal) adoptTokenFromFragment();

/**
 * A 401 anywhere ends the session: the operator's token is gone (client.ts) and the token form
 * shows; a portal's session has ended (or was never there) and the page says so.
 */
let signedOut: { reason: string } | null = null;
const listeners = new Set<() => void>();
function onError(error: unknown) {
  if (hasStatus(error, 401)) {
    signedOut = {
      reason: 'The server refused the token (it may have changed when the server restarted). Sign in again.',
    };
    queryClient.clear();
    for (const listener of listeners) listener();
  }
}

const queryClient = new QueryClient({
  queryCache: new QueryCache({ onError }),
  mutationCache: new MutationCache({ onError }),
  defaultOptions: {
    queries: {
      retry: (count, error) =>
        !(error instanceof ApiError && error.status > 0 && error.status < 500) && count < 2,
      refetchOnWindowFocus: false,
      staleTime: 5_000,
    },
    mutations: { retry: false },
  },
});

function Root() {
  const reason = useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => signedOut,
  );
  return (
    <Suspense fallback={<Skeleton label="Loading…" rows={6} />}>
      {portal ? <PortalApp ended={reason !== null} /> : <App signedOut={reason} />}
    </Suspense>
  );
}

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <QueryClientProvider client={queryClient}>
        <ApiProvider value={portal ? portalApi : operatorApi}>
          <RouterBase value={portal ? PORTAL_BASE : ''}>
            <ToastProvider>
              <Root />
            </ToastProvider>
          </RouterBase>
        </ApiProvider>
      </QueryClientProvider>
    </StrictMode>,
  );
}
