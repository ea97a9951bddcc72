import type { PortalSession } from '@latchkey/client/types';

/** The way back to the team's product: its name and the page the portal links to. */
export interface WayBack {
  readonly productName?: string;
  readonly returnUrl?: string;
}

const KEY = 'latchkey.portal.back';

/**
 * Kept in this tab's sessionStorage while the session works, so that after it ends (a reload
 * then learns nothing from the API) the "session ended" page can still link back. Nothing in it
 * is secret: the product's name and a URL of the team's.
 */
export function rememberWayBack(back: WayBack): void {
  sessionStorage.setItem(KEY, JSON.stringify(back));
}

export const wayBackOf = (session: PortalSession): WayBack => ({
  productName: session.branding?.productName,
  returnUrl: httpUrl(session.returnUrl),
});

export function recallWayBack(): WayBack {
  try {
    const back = JSON.parse(sessionStorage.getItem(KEY) ?? '{}') as Record<string, unknown>;
    return {
      productName: typeof back.productName === 'string' ? back.productName : undefined,
      returnUrl: typeof back.returnUrl === 'string' ? httpUrl(back.returnUrl) : undefined,
    };
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
