import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Token } from 'aws-cdk-lib';
import type { ICertificate } from 'aws-cdk-lib/aws-certificatemanager';
import { PORTAL_ROUTES } from '../../functions/routes.ts';
import { DIST_DIR } from '../../web/dist-layout.ts';
import { PORTAL_SECURITY_HEADERS } from '../../web/security-headers.ts';
import { PREBUILT_PORTAL } from '../prebuilt.ts';
import type { PortalOptions } from './props.ts';

/**
 * The self-service portal in AWS: the built web app in S3 behind CloudFront, and the portal's
 * routes on a REST API of their own behind the same distribution (one origin: the session cookie
 * is first-party, and no CORS is needed).
 */

/** The built app: the one the packed `@latchkey/cdk` carries, or here where `web/build.ts` puts it. */
export const DEFAULT_PORTAL_ASSETS = PREBUILT_PORTAL ?? DIST_DIR;

/**
 * The portal API's stage. CloudFront reaches it under this literal path: the distribution then
 * depends on the REST API alone, not on its stage, which waits on the functions, which learn the
 * distribution's name (LATCHKEY_PORTAL_URL).
 */
export const PORTAL_STAGE = 'portal';

/** Portal API stage throttling (requests per second, and burst). */
export const PORTAL_THROTTLING = { rateLimit: 50, burstLimit: 100 } as const;

/** Where the portal's API lives on the distribution; everything else under `/portal` is a page. */
export const PORTAL_API_PREFIX = '/portal/api';

/** The portal routes outside `/portal/api`: the link's landing. */
export const PORTAL_LANDING_ROUTES = PORTAL_ROUTES.filter((r) => !r.path.startsWith(`${PORTAL_API_PREFIX}/`));

/** The landing's paths: one behaviour each. */
export const PORTAL_EXACT_PATHS = [...new Set(PORTAL_LANDING_ROUTES.map((r) => r.path))];

/**
 * The header the viewer-request function sets to the viewer's address on the way to the portal
 * API. Behind CloudFront the API (and its WAF rules) see CloudFront's addresses; `X-Forwarded-For`
 * starts with whatever the viewer sent. This one is overwritten on every request.
 */
export const VIEWER_IP_HEADER = 'x-latchkey-viewer-ip';

/**
 * The distribution's viewer-request function (cloudfront-js-2.0), on every behaviour:
 * - `/portal/api…` and the landing go to the portal API, stamped with the viewer's address;
 * - the portal's page paths (`/portal`, `/portal/…` whose last segment is not a file name) are the
 *   app's `index.html`, whose router draws the page;
 * - `/` goes to `/portal`; anything else is a file of the bucket, or its 403.
 */
export const PORTAL_VIEWER_REQUEST = `var API_PREFIX = ${JSON.stringify(PORTAL_API_PREFIX)};
var EXACT = ${JSON.stringify(PORTAL_EXACT_PATHS)};
var VIEWER_IP = ${JSON.stringify(VIEWER_IP_HEADER)};

function handler(event) {
  var request = event.request;
  var uri = request.uri;
  if (uri === API_PREFIX || uri.startsWith(API_PREFIX + '/') || EXACT.indexOf(uri) !== -1) {
    request.headers[VIEWER_IP] = { value: event.viewer.ip };
    return request;
  }
  if (uri === '/') {
    return { statusCode: 302, statusDescription: 'Found', headers: { location: { value: '/portal' } } };
  }
  var last = uri.slice(uri.lastIndexOf('/') + 1);
  if ((uri === '/portal' || uri.startsWith('/portal/')) && last.indexOf('.') === -1) {
    request.uri = '/index.html';
  }
  return request;
}
`;

/** HSTS: two years, subdomains included. */
export const HSTS_SECONDS = 63_072_000;

/** The headers a response headers policy sets as security headers (CloudFront refuses them as custom ones). */
const SECURITY_HEADER_NAMES = [
  'content-security-policy',
  'strict-transport-security',
  'x-content-type-options',
  'x-frame-options',
  'referrer-policy',
  'x-xss-protection',
];

/** The portal pages' other response headers (`cross-origin-opener-policy`, …): sent as they are. */
export const PORTAL_CUSTOM_HEADERS = Object.entries(PORTAL_SECURITY_HEADERS).filter(
  ([name]) => !SECURITY_HEADER_NAMES.includes(name),
);

/** Cache-Control of the app's hashed files (`assets/…`), and of every other file. */
export const HASHED_FILE_CACHE = 'public, max-age=31536000, immutable';
export const PAGE_FILE_CACHE = 'no-cache';

const HOST_NAME = /^(?=.{1,253}$)(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))+$/i;

/** Every problem with the `portal` prop. */
export function portalProblems(options: PortalOptions | undefined): string[] {
  const problems: string[] = [];
  if (options?.enabled !== undefined && typeof options.enabled !== 'boolean')
    problems.push('portal.enabled must be true or false');
  if (options?.enabled === false) return problems;
  const assets = options?.assets ?? DEFAULT_PORTAL_ASSETS;
  const missing = ['index.html', 'assets'].filter((name) => !existsSync(join(assets, name)));
  if (missing.length)
    problems.push(
      `portal.assets (${assets}) is not a built web app: it has no ${missing.join(' and no ')}; build it first (node --import tsx web/build.ts), or set portal.enabled: false`,
    );
  const { domainName, certificate } = options ?? {};
  if (domainName !== undefined && !HOST_NAME.test(domainName))
    problems.push('portal.domainName must be a host name, like keys.example.com');
  if (domainName !== undefined && !certificate)
    problems.push('portal.domainName needs portal.certificate, an ACM certificate for it in us-east-1');
  if (certificate && domainName === undefined)
    problems.push('portal.certificate needs portal.domainName, the name it is for');
  const region = certificate && certificateRegion(certificate);
  if (region && region !== 'us-east-1')
    problems.push(
      `portal.certificate must be in us-east-1 (CloudFront's Region, whatever the stack's); this one is in ${region}`,
    );
  return problems;
}

/** The Region in a certificate's ARN, or of the stack that makes it; undefined when not known at synth. */
function certificateRegion(certificate: ICertificate): string | undefined {
  const arn = certificate.certificateArn;
  if (!Token.isUnresolved(arn)) return arn.split(':')[3];
  const region = certificate.stack.region;
  return Token.isUnresolved(region) ? undefined : region;
}
