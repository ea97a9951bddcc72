import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type KeysServer, signedHeaders, signingKey, startKeysServer } from '../support/github-keys.ts';
import { context, emfDocuments, logOf, restEvent, useLambdaEnv } from '../support/lambda.ts';

/**
 * A leak report that cannot be checked because GitHub's signing keys cannot be fetched is a 503,
 * and a `LeakKeysFetchFailed` count the LeakReportFailed alarm watches, not only a log line.
 */
const signer = signingKey();
let keys: KeysServer;
let handler: typeof import('#handlers/leaks-github.ts')['handler'];

beforeAll(async () => {
  keys = await startKeysServer([signer]);
  // Metrics on, as in Lambda; the key list URL answers 404.
  useLambdaEnv({ POWERTOOLS_METRICS_DISABLED: 'false', LATCHKEY_LEAK_KEYS_URL: `${keys.url}/moved` });
  vi.stubEnv('POWERTOOLS_DEV', '');
  handler = (await import('#handlers/leaks-github.ts')).handler;
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await keys.close();
});

/** The EMF documents written while `run` runs. */
const emf = async (run: () => Promise<unknown>) => emfDocuments(await logOf(run));

describe('POST /v1/leaks/github when the signing keys cannot be fetched', () => {
  it('answers 503 and counts LeakKeysFetchFailed once per failed fetch', async () => {
    const body = JSON.stringify([{ token: 'lk_live_x', type: 'latchkey_api_key' }]);
    const event = restEvent('POST', '/v1/leaks/github', { headers: signedHeaders(body, signer) });
    let status = 0;
    const docs = await emf(async () => {
      status = (await handler({ ...event, body }, context())).statusCode;
    });
    expect(status).toBe(503);
    expect(keys.requests).toBe(1);
    const failed = docs.filter((d) => d.LeakKeysFetchFailed !== undefined);
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ LeakKeysFetchFailed: 1, service: 'latchkey' });
    expect(failed[0]._aws.CloudWatchMetrics[0]).toMatchObject({
      Namespace: 'Latchkey',
      Dimensions: [['service']],
      Metrics: [{ Name: 'LeakKeysFetchFailed', Unit: 'Count' }],
    });
  });
});
