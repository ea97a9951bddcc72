/** How long one AWS SDK call may take: per attempt (connect, then answer) and how many attempts. */
export interface ClientBounds {
  readonly connectionTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly maxAttempts: number;
}

/**
 * The authorizer's DynamoDB and Secrets Manager clients (set by the CDK construct, 5 s Lambda
 * timeout): a slow or unreachable service fails the check within `worstCaseCallMs` (2.7 s),
 * so the fault is caught, logged and counted long before Lambda would kill the invocation.
 */
export const AUTHORIZER_CLIENT_BOUNDS: ClientBounds = {
  connectionTimeoutMs: 250,
  requestTimeoutMs: 600,
  maxAttempts: 2,
};

/**
 * The most the SDK's standard retry waits before its first retry: its throttling base delay
 * (1 s in this SDK; other errors 50 ms), jittered below it, doubling per further retry.
 */
const SDK_RETRY_DELAY_MS = 1_000;

/**
 * The deadline of one check (set by the CDK construct with the bounds above). One slow call ends
 * inside it on its own (`worstCaseCallMs`); a check that makes two in a row (the key, then its
 * custom roles) is cut here, leaving 1.5 s of the 5 s to log, count and answer.
 */
export const AUTHORIZER_CHECK_DEADLINE_MS = 3_500;

/** The longest one call can take when every attempt times out. */
export function worstCaseCallMs(bounds: ClientBounds): number {
  let total = 0;
  for (let attempt = 0; attempt < bounds.maxAttempts; attempt++) {
    total += bounds.connectionTimeoutMs + bounds.requestTimeoutMs;
    if (attempt > 0) total += SDK_RETRY_DELAY_MS * 2 ** (attempt - 1);
  }
  return total;
}
