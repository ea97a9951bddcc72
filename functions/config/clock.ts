import { ConfigurationError, settings } from './settings.ts';

let base: { readonly start: string | undefined; readonly offsetMs: number } | undefined;

/**
 * The service's clock: the real one, or, in local mode only, LATCHKEY_CLOCK: an ISO time the clock
 * starts at when the process starts, running forward in real time from there. Every time-driven
 * behaviour reads it (rotation due dates, expiry, dormancy, grace periods, refill), so an operator
 * can rehearse the next 90 days and a test need not wait. A deployed function refuses the setting.
 */
export function now(): Date {
  const config = settings();
  const start = config.LATCHKEY_CLOCK;
  let current = base;
  if (current === undefined || current.start !== start) {
    if (start !== undefined && !config.LATCHKEY_DYNAMODB_ENDPOINT)
      throw new ConfigurationError([
        'LATCHKEY_CLOCK is for local mode only (a test clock); a deployment has none',
      ]);
    current = { start, offsetMs: start === undefined ? 0 : Date.parse(start) - Date.now() };
    base = current;
  }
  return new Date(Date.now() + current.offsetMs);
}
