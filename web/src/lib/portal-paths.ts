/**
 * Where the portal lives on the site: its pages at `/portal` and below, but for the paths its
 * server answers itself. Read by the page (which app to load), by its API client and by the hosts
 * (which CSP a page gets, which paths are not pages), so it imports nothing.
 */
export const PORTAL_BASE = '/portal';

/** The portal's API: a session's cookie, never the admin token. */
export const PORTAL_API = `${PORTAL_BASE}/api`;

/** The paths under the portal that its server answers, not the app: the API and the link's landing. */
export const PORTAL_SERVER_PATHS = [PORTAL_API, `${PORTAL_BASE}/enter`] as const;

/** Whether a page path is the portal's (`/portal` and below). */
export const isPortalPage = (path: string): boolean =>
  path === PORTAL_BASE || path.startsWith(`${PORTAL_BASE}/`);
