import { awsProblem } from './aws.ts';

/**
 * The links `latchkey doctor` checks, in the order it prints them. The IDs and titles are what
 * `--json` carries: scripts may rely on them.
 */
export const CHECKS = {
  api: 'the management API answers signed requests',
  stack: "the stack's resources are found",
  'authorizer-allows': 'the authorizer allows a fresh test key',
  'authorizer-refuses-revoked': 'the authorizer refuses the test key once revoked',
  events: 'a test event published as the sweep publishes reaches the notification topic',
  pepper: "the authorizer's role can read the pepper",
  alarms: 'every alarm exists and none is in ALARM',
  'usage-plans': 'the usage plans answer',
  cleanup: 'the test key and the temporary queue are removed',
} as const;

export type CheckId = keyof typeof CHECKS;

export interface Check {
  readonly id: CheckId;
  readonly title: string;
  readonly status: 'pass' | 'fail' | 'skip';
  /** What was seen, in words. */
  readonly detail: string;
  /** For a failure: what to do about it. */
  readonly fix?: string;
  /** The failure is that nothing answered (a network failure), not a wrong answer. */
  readonly unreachable?: boolean;
}

export const pass = (id: CheckId, detail: string): Check => ({
  id,
  title: CHECKS[id],
  status: 'pass',
  detail,
});

export const fail = (id: CheckId, detail: string, fix: string, unreachable = false): Check => ({
  id,
  title: CHECKS[id],
  status: 'fail',
  detail,
  fix,
  ...(unreachable ? { unreachable } : {}),
});

/**
 * An AWS call that failed: what doctor could not do and why; the fix is the grant `needs` when the
 * call was refused, else `otherwise`.
 */
export function awsFailure(
  id: CheckId,
  doing: string,
  error: unknown,
  needs: string,
  otherwise = 'check your network and --region',
): Check {
  const problem = awsProblem(error);
  return fail(
    id,
    `could not ${doing}: ${problem.text}`,
    problem.denied ? needs : otherwise,
    problem.unreachable,
  );
}

/** The fix for a resource missing from the stack or changed outside CloudFormation. */
export const redeploy = (d: { readonly stackName: string }) =>
  `deploy the stack again (npx cdk deploy ${d.stackName})`;

/** Not run, because a link it stands on is broken (which is itself a failed check). */
export const skip = (id: CheckId, because: string): Check => ({
  id,
  title: CHECKS[id],
  status: 'skip',
  detail: `not checked: ${because}`,
});

/** Something doctor made that must not outlive it, and how to remove it by hand if it does. */
export interface Leftover {
  readonly what: string;
  /** Set once it is gone. */
  removed: boolean;
  /** Why removing it failed. */
  problem?: string;
  readonly removeBy: string;
}

/** Removes `leftover` with `remove`: marked removed, or with why it is not (`describe` words the error). */
export async function removeLeftover(
  leftover: Leftover,
  remove: () => Promise<unknown>,
  describe: (error: unknown) => string,
): Promise<void> {
  try {
    await remove();
    leftover.removed = true;
  } catch (error) {
    leftover.problem = describe(error);
  }
}
