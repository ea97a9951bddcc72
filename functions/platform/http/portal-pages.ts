import type { HttpResult } from './http-route.ts';

/** The pages the portal's server answers itself: plain HTML, no script, nothing loaded. */
const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'content-security-policy':
    "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
};

/** 401: the link was used already, has expired, or never was one. Which of these is not said. */
export function linkRefusedPage(): HttpResult {
  return {
    status: 401,
    headers: PAGE_HEADERS,
    text: [
      '<!doctype html>',
      '<html lang="en">',
      '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
      '<title>This link has expired</title></head>',
      '<body>',
      '<main>',
      '<h1>This link has expired</h1>',
      '<p>Links to manage your API keys work once, for a few minutes. This one has been used already or has expired.</p>',
      '<p>Go back to the page you came from and open API keys again to get a new link.</p>',
      '</main>',
      '</body>',
      '</html>',
    ].join('\n'),
  };
}
