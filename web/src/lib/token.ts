/**
 * The admin token (or, behind `latchkey dashboard`, the proxy's token). It arrives in the URL
 * fragment of the printed link, is moved into sessionStorage and removed from the address bar.
 */
const KEY = 'latchkey.token';

export function readToken(): string | null {
  return sessionStorage.getItem(KEY);
}

export function saveToken(token: string): void {
  sessionStorage.setItem(KEY, token);
}

export function clearToken(): void {
  sessionStorage.removeItem(KEY);
}

/** Takes `#token=…` out of the address bar (history.replaceState) and keeps it for this tab. */
export function adoptTokenFromFragment(): void {
  const match = /(?:^#|&)token=([^&]+)/.exec(window.location.hash);
  if (!match?.[1]) return;
  saveToken(decodeURIComponent(match[1]));
  window.history.replaceState(window.history.state, '', window.location.pathname + window.location.search);
}
