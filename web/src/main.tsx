import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode, useSyncExternalStore } from 'react';
import { createRoot } from 'react-dom/client';
import { ApiError } from './api/client.ts';
import { App } from './app.tsx';
import { ToastProvider } from './components/toast.tsx';
import { adoptTokenFromFragment } from './lib/token.ts';
import './styles.css';

adoptTokenFromFragment();

/** A 401 anywhere ends the session: the token is gone (client.ts) and the token form shows. */
let signedOut: { reason: string } | null = null;
const listeners = new Set<() => void>();
function onError(error: unknown) {
  if (error instanceof ApiError && error.status === 401) {
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
  return <App signedOut={reason} />;
}

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <QueryClientProvider client={queryClient}>
        <ToastProvider>
          <Root />
        </ToastProvider>
      </QueryClientProvider>
    </StrictMode>,
  );
}
