import { CREDENTIALS_ACCEPTED, candidatesOf, credentialsRevokeBody } from '#domain/leak/public-report.ts';
import { pepperProvider } from '#platform/aws/pepper-provider.ts';
import { httpRoute } from '#platform/http/http-route.ts';
import { reportQueue, reportsSettled } from '#platform/wiring/leak.ts';

const peppers = pepperProvider();
const queue = reportQueue();

/** Room for 1,000 strings of the longest kind checked. */
const MAX_BODY_BYTES = 600_000;

/**
 * POST /v1/credentials/revoke — anyone who found secrets reports them: no authentication, the
 * same 202 whatever they were. The strings are fingerprinted (no read; garbage is dropped by its
 * checksum) and handed to the check, which runs after the answer, so neither the answer nor its
 * timing tells a live key from garbage. Throttled per address (WAF in AWS, the local server here).
 */
export const handler = httpRoute(
  { body: credentialsRevokeBody },
  async ({ body, event, headers }) => {
    const candidates = candidatesOf(body.credentials, await peppers());
    await queue.submit({
      candidates,
      sighting: {
        ...(event.requestContext?.identity?.sourceIp
          ? { sourceIp: event.requestContext.identity.sourceIp }
          : {}),
        ...(headers['user-agent'] ? { userAgent: headers['user-agent'].slice(0, 256) } : {}),
      },
    });
    return { status: 202, body: CREDENTIALS_ACCEPTED };
  },
  { anonymous: true, maxBodyBytes: MAX_BODY_BYTES },
);

/** Locally: waits until every report answered so far has been checked (the server's stop, tests). */
export const settled = reportsSettled;
