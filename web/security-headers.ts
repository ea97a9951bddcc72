/**
 * Sent with every response of the page: a strict Content-Security-Policy (styles set through the
 * CSSOM, as React and uPlot do, are allowed) and its companions. The build writes the dashboard's
 * into web/dist/headers.json too, so every host of the built files sends the same; the portal's
 * pages (`/portal`, `/portal/*`) differ in one directive only, exported for the hosts that serve
 * them (the local server here, CloudFront's response headers policy in AWS).
 */
const directives = (imgSrc: string) =>
  [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    `img-src ${imgSrc}`,
    "connect-src 'self'",
    "font-src 'self'",
    "object-src 'none'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'self'",
  ].join('; ');

/** The dashboard's CSP: nothing from anywhere but this origin. */
const DASHBOARD_CSP = directives("'self' data:");

/** The portal's CSP: as the dashboard's, and images over https too, for the team's logo. */
export const PORTAL_CSP = directives("'self' data: https:");

const COMPANIONS = {
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'cross-origin-opener-policy': 'same-origin',
} as const;

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': DASHBOARD_CSP,
  ...COMPANIONS,
};

/** Every response of a portal page: the portal's CSP and the same companions. */
export const PORTAL_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': PORTAL_CSP,
  ...COMPANIONS,
};
