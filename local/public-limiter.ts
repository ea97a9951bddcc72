/** The most address-and-route windows the limiter keeps; past it, the oldest go first. */
export const MAX_TRACKED = 10_000;

/**
 * The local stand-in for the WAF's per-address rule on public routes: at most `perMinute`
 * requests from one address to one route in a minute (a fixed window), then 429 with the seconds
 * left in the window. The map is bounded (MAX_TRACKED): the oldest windows go first.
 */
export class PublicRouteLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(private readonly perMinute: number) {}

  /** Counts one request; the seconds to wait when it is over the limit, else undefined. */
  check(address: string, route: string, now = Date.now()): number | undefined {
    const key = `${route} ${address}`;
    let window = this.windows.get(key);
    if (!window || now - window.start >= 60_000) {
      this.windows.delete(key);
      window = { start: now, count: 0 };
      this.windows.set(key, window);
      while (this.windows.size > MAX_TRACKED) {
        const oldest = this.windows.keys().next().value as string;
        this.windows.delete(oldest);
      }
    }
    window.count++;
    if (window.count <= this.perMinute) return undefined;
    return Math.max(1, Math.ceil((window.start + 60_000 - now) / 1000));
  }
}
