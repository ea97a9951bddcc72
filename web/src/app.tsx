import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useId, useState } from 'react';
import { ApiError, operatorApi } from './api/client.ts';
import { whoamiQuery } from './api/whoami.ts';
import { ErrorMessage } from './components/error-message.tsx';
import { hasStatus } from './lib/api-error.ts';
import { Link, useLocation } from './lib/router.tsx';
import { clearToken, readToken, saveToken } from './lib/token.ts';
import { route } from './routes/index.tsx';

const NAV = [
  { href: '/', label: 'API Keys', section: 'keys' },
  { href: '/usage', label: 'Usage', section: 'usage' },
  { href: '/roles', label: 'Roles', section: 'roles' },
  { href: '/rotation', label: 'Rotation', section: 'rotation' },
  { href: '/compliance', label: 'Compliance', section: 'compliance' },
] as const;

export function App({ signedOut }: { signedOut: { reason: string } | null }) {
  const [token, setToken] = useState(readToken);
  const client = useQueryClient();
  const location = useLocation();
  const current = route(location);
  useEffect(() => {
    document.title = `${current.title} · Latchkey`;
  }, [current.title]);
  useEffect(() => {
    if (signedOut) setToken(null);
  }, [signedOut]);
  const signOut = () => {
    clearToken();
    client.clear();
    setToken(null);
  };
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <Link href="/" className="brand">
          <span className="brand-mark" aria-hidden="true" />
          Latchkey
        </Link>
        {token && (
          <>
            <nav aria-label="Main" className="nav">
              {NAV.map((item) => (
                <Link
                  key={item.href}
                  href={item.href}
                  aria-current={current.section === item.section ? 'page' : undefined}
                >
                  {item.label}
                </Link>
              ))}
            </nav>
            <Actor />
            <button type="button" className="button button-quiet" onClick={signOut}>
              Sign out
            </button>
          </>
        )}
      </header>
      <main id="main" className="main">
        {token ? (
          current.element
        ) : (
          <TokenForm
            reason={signedOut?.reason ?? null}
            onSignedIn={(t) => {
              client.clear();
              setToken(t);
            }}
          />
        )}
      </main>
    </>
  );
}

/** Who the API takes the operator for: `local-admin` locally, the IAM identity behind the proxy. */
function Actor() {
  const whoami = useQuery(whoamiQuery(operatorApi));
  if (!whoami.data) return null;
  return (
    <span className="actor muted small" title={whoami.data.actor}>
      Signed in as <strong>{whoami.data.actor}</strong>
    </span>
  );
}

/** Shown without a token, and after any 401. */
function TokenForm({ reason, onSignedIn }: { reason: string | null; onSignedIn: (token: string) => void }) {
  const [value, setValue] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [checking, setChecking] = useState(false);
  const id = useId();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    setChecking(true);
    saveToken(value.trim());
    try {
      await operatorApi.request('GET', '/whoami');
      onSignedIn(value.trim());
    } catch (cause) {
      setError(
        hasStatus(cause, 401)
          ? new ApiError(
              401,
              cause.code,
              'That token was refused. Paste the admin token printed by npm start.',
            )
          : cause,
      );
    } finally {
      setChecking(false);
    }
  };
  return (
    <div className="signin card">
      <h1 id="page-heading" tabIndex={-1}>
        Sign in
      </h1>
      {reason && <p className="warning">{reason}</p>}
      <p>
        Open the <strong>Dashboard</strong> link that <code>npm start</code> (or{' '}
        <code>latchkey dashboard</code>) prints, or paste its token here. The token stays in this tab only.
      </p>
      <form className="form" onSubmit={submit}>
        <div className="field">
          <label htmlFor={id}>Admin token</label>
          <input
            id={id}
            type="password"
            autoComplete="off"
            required
            value={value}
            onChange={(event) => setValue(event.currentTarget.value)}
          />
        </div>
        <ErrorMessage error={error} />
        <div className="dialog-actions">
          <button type="submit" className="button button-primary" disabled={checking}>
            Sign in
          </button>
        </div>
      </form>
    </div>
  );
}
