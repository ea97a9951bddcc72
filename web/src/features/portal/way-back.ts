import type { PortalSession } from '@latchkey/client/types';

/** The way back to the team's product: its name and the page the portal links to. */
export interface WayBack {
  readonly productName?: string;
  readonly returnUrl?: string;
  /** What a link to `returnUrl` says after "Back to": the product's name, else the URL's host. */
  readonly label?: string;
}

function wayBack(productName: string | undefined, returnUrl: string | undefined): WayBack {
  return { productName, returnUrl, label: returnUrl && (productName ?? new URL(returnUrl).host) };
}

const KEY = 'latchkey.portal.back';

/**
 * Kept in this tab's sessionStorage while the session works, so that after it ends (a reload
 * then learns nothing from the API) the "session ended" page can still link back. Nothing in it
 * is secret: the product's name and a URL of the team's.
 */
export function rememberWayBack(back: WayBack): void {
  sessionStorage.setItem(KEY, JSON.stringify({ productName: back.productName, returnUrl: back.returnUrl }));
}

export const wayBackOf = (session: PortalSession): WayBack =>
  wayBack(session.branding?.productName, httpUrl(session.returnUrl));

export function recallWayBack(): WayBack {
  try {
    const back = JSON.parse(sessionStorage.getItem(KEY) ?? '{}') as Record<string, unknown>;
    return wayBack(
      typeof back.productName === 'string' ? back.productName : undefined,
      typeof back.returnUrl === 'string' ? httpUrl(back.returnUrl) : undefined,
    );
  } catch {
    return {};
  }
}

/** Only an http(s) URL becomes a link: never `javascript:` or `data:`, whatever the API said. */
function httpUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}
