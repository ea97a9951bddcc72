import { afterEach, describe, expect, it } from 'vitest';
import { now } from '../../functions/config/clock.ts';
import { readSettings } from '../../functions/config/settings.ts';

/** The test clock where no local server runs: a deployed function. */
describe('LATCHKEY_CLOCK outside local mode', () => {
  afterEach(() => {
    delete process.env.LATCHKEY_CLOCK;
    delete process.env.LATCHKEY_DYNAMODB_ENDPOINT;
  });

  it('is refused: a deployment has no test clock', () => {
    process.env.LATCHKEY_CLOCK = '2027-03-01T00:00:00Z';
    expect(() => now()).toThrow(/LATCHKEY_CLOCK is for local mode only/);
  });

  it('starts where it is told, locally, and runs forward in real time', async () => {
    process.env.LATCHKEY_DYNAMODB_ENDPOINT = 'http://127.0.0.1:1';
    process.env.LATCHKEY_CLOCK = '2027-03-01T00:00:00Z';
    const first = now().getTime();
    expect(Math.abs(first - Date.parse('2027-03-01T00:00:00Z'))).toBeLessThan(1000);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(now().getTime()).toBeGreaterThanOrEqual(first + 15);
  });

  it('must be an ISO time', () => {
    expect(() => readSettings({ LATCHKEY_CLOCK: 'next tuesday' })).toThrow(
      /LATCHKEY_CLOCK must be a valid datetime/,
    );
  });
});
