import {
  type AnchorHTMLAttributes,
  createContext,
  type MouseEvent,
  useCallback,
  useContext,
  useSyncExternalStore,
} from 'react';

/**
 * A small router over the History API: the app has a handful of pages, so it needs no router
 * package. Paths are matched in routes/; search params are validated there.
 *
 * The app is mounted at a base path: `/` for the operator's dashboard, `/portal` for a portal
 * session. Inside, every path is written from the mount (`/keys/key_…`), so the same components
 * link within whichever app shows them.
 */
const listeners = new Set<() => void>();
const notify = () => {
  for (const listener of listeners) listener();
};
window.addEventListener('popstate', notify);

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
const snapshot = () => window.location.pathname + window.location.search;

const BaseContext = createContext('');

/** Mounts the pages below at `base` (no trailing slash; '' for the root). */
export const RouterBase = BaseContext.Provider;

/** `to` (written from the mount) as a path of the site. */
function resolve(base: string, to: string): string {
  if (!base) return to;
  const url = new URL(to, window.location.origin);
  return `${url.pathname === '/' ? base : `${base}${url.pathname}`}${url.search}`;
}

export interface Location {
  /** The path from the mount: `/` for the mount itself. */
  pathname: string;
  search: URLSearchParams;
}

export function useLocation(): Location {
  const base = useContext(BaseContext);
  const href = useSyncExternalStore(subscribe, snapshot);
  const url = new URL(href, window.location.origin);
  const inside = base && (url.pathname === base || url.pathname.startsWith(`${base}/`));
  return {
    pathname: inside ? url.pathname.slice(base.length) || '/' : url.pathname,
    search: url.searchParams,
  };
}

type Navigate = (to: string, options?: { replace?: boolean }) => void;

/** Goes to `to` (written from the mount) without reloading the page. */
export function useNavigate(): Navigate {
  const base = useContext(BaseContext);
  return useCallback(
    (to, options = {}) => {
      const target = resolve(base, to);
      if (target === snapshot()) return;
      if (options.replace) window.history.replaceState(null, '', target);
      else window.history.pushState(null, '', target);
      notify();
    },
    [base],
  );
}

export function Link({ href, onClick, ...rest }: AnchorHTMLAttributes<HTMLAnchorElement> & { href: string }) {
  const base = useContext(BaseContext);
  const navigate = useNavigate();
  const handle = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(href);
    window.scrollTo(0, 0);
  };
  return <a href={resolve(base, href)} onClick={handle} {...rest} />;
}

/** Builds `path?query` from a params object, leaving out empty values. */
export function withQuery(path: string, params: Record<string, string | undefined>): string {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) search.set(k, v);
  const qs = search.toString();
  return qs ? `${path}?${qs}` : path;
}

/** Writes filters into the URL's query at `path` (from the mount), replacing the entry: a reload or a shared link keeps the view. */
export function useReplaceQuery(path = '/'): (params: Record<string, string | undefined>) => void {
  const navigate = useNavigate();
  return (params) => navigate(withQuery(path, params), { replace: true });
}
