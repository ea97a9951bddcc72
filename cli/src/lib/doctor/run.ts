import { ApiRefusal, CliError, NetworkFailure } from '../errors.ts';
import type { ApiClient } from '../http.ts';
import { checkAlarms } from './alarms.ts';
import { type AuthorizerConfig, checkAuthorizer, readAuthorizer } from './authorizer.ts';
import type { DoctorClients } from './aws.ts';
import { type Check, type CheckId, fail, type Leftover, pass, redeploy, skip } from './checks.ts';
import { type Deployment, findDeployment } from './deployment.ts';
import { checkEvents } from './events.ts';
import { checkPepper } from './pepper.ts';
import { checkUsagePlans } from './usage-plans.ts';

export interface DoctorRun {
  /** The management API, signed with the operator's credentials. */
  readonly api: ApiClient;
  readonly clients: DoctorClients;
  readonly endpoint: string;
  readonly region: string;
  /** `--stack`; otherwise the stack whose outputs name the endpoint. */
  readonly stack?: string;
  /** Names what this run makes (the test key, the queue), so that it can be told from anything else. */
  readonly runId: string;
  readonly now: () => number;
  readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Aborted (Ctrl-C): waits end, and what was made is removed before the checklist ends. */
  readonly signal: AbortSignal;
  /** The CLI as the operator runs it against this endpoint, for the commands a fix names. */
  readonly cli: string;
}

async function checkApi(api: ApiClient): Promise<Check> {
  try {
    const body = await api.call((c) => c.whoAmI());
    return pass('api', `GET /v1/whoami answered, signed with SigV4, as ${body?.actor ?? 'an unnamed actor'}`);
  } catch (error) {
    const e = error as Error;
    const hints = error instanceof CliError ? error.details : [];
    return fail(
      'api',
      `GET /v1/whoami: ${e.message}`,
      hints.join('; ') ||
        (error instanceof ApiRefusal
          ? 'your identity needs execute-api:Invoke on the management API (service.grantKeyView and the other grants)'
          : 'check --endpoint (the stage URL of the ManagementApiEndpoint output) and your network'),
      error instanceof NetworkFailure,
    );
  }
}

/** Whatever a check throws that it did not expect is its failure, never the end of the run (and of the cleanup). */
const guarded = (id: CheckId, check: Promise<Check>) =>
  check.catch((error: unknown) =>
    fail(
      id,
      `doctor could not check this: ${(error as Error).message}`,
      'run latchkey doctor again; if it persists, report it with this message',
    ),
  );

function cleanupCheck(leftovers: readonly Leftover[]): Check {
  if (leftovers.length === 0) return pass('cleanup', 'nothing was made');
  const left = leftovers.filter((l) => !l.removed);
  if (left.length === 0)
    return pass(
      'cleanup',
      `removed: ${leftovers
        .map((l) => l.what)
        .sort()
        .join(', ')}`,
    );
  return fail(
    'cleanup',
    `left behind: ${left.map((l) => `${l.what}${l.problem ? ` (${l.problem})` : ''}`).join('; ')}`,
    `remove by hand: ${left.map((l) => l.removeBy).join('; ')}`,
  );
}

/**
 * Every check, in the order doctor prints them, each a promise: the independent ones run at
 * once (the event check waits longest), and the cleanup check settles after everything made
 * has been removed, whatever the other checks found.
 */
export function runDoctor(run: DoctorRun): {
  checks: Promise<Check>[];
  deployment: Promise<Deployment | undefined>;
} {
  const leftovers: Leftover[] = [];
  const api = guarded('api', checkApi(run.api));
  const found = findDeployment(run.clients.cloudFormation, run.endpoint, run.region, run.stack).catch(
    (error: unknown) => ({
      check: fail(
        'stack',
        `doctor could not read the stack: ${(error as Error).message}`,
        'run latchkey doctor again',
      ),
    }),
  );
  const deployment = found.then((f) => ('deployment' in f ? f.deployment : undefined));
  const noStack = 'the stack was not found';
  const authorizer: Promise<AuthorizerConfig | undefined> = deployment.then((d) =>
    d?.authorizer ? readAuthorizer(run.clients.lambda, d.authorizer) : undefined,
  );
  const noAuthorizer = (id: CheckId, d: Deployment) =>
    fail(id, `stack ${d.stackName} has no authorizer function (${d.prefix}Authorizer)`, redeploy(d));
  const pair = Promise.all([api, deployment, authorizer]).then(
    async ([apiCheck, d, config]): Promise<[Check, Check]> => {
      if (!d) return [skip('authorizer-allows', noStack), skip('authorizer-refuses-revoked', noStack)];
      if (!config)
        return [
          noAuthorizer('authorizer-allows', d),
          skip('authorizer-refuses-revoked', 'there is no authorizer'),
        ];
      if (apiCheck.status !== 'pass') {
        const why = 'the management API does not answer, so no test key can be made';
        return [skip('authorizer-allows', why), skip('authorizer-refuses-revoked', why)];
      }
      return checkAuthorizer({
        ...run,
        lambda: run.clients.lambda,
        deployment: d,
        authorizer: config,
        leftovers,
      });
    },
  );
  const guardedPair = pair.catch((error: unknown): [Check, Check] => [
    fail(
      'authorizer-allows',
      `doctor could not check this: ${(error as Error).message}`,
      'run latchkey doctor again',
    ),
    skip('authorizer-refuses-revoked', 'see above'),
  ]);
  const events = guarded(
    'events',
    deployment.then((d) => (d ? checkEvents({ ...run, deployment: d, leftovers }) : skip('events', noStack))),
  );
  const pepper = guarded(
    'pepper',
    Promise.all([deployment, authorizer]).then(([d, config]) =>
      !d
        ? skip('pepper', noStack)
        : config
          ? checkPepper(run.clients.iam, d, config)
          : noAuthorizer('pepper', d),
    ),
  );
  const alarms = guarded(
    'alarms',
    deployment.then((d) => (d ? checkAlarms(run.clients.cloudWatch, d) : skip('alarms', noStack))),
  );
  const plans = guarded(
    'usage-plans',
    deployment.then((d) =>
      d ? checkUsagePlans(run.clients.apiGateway, d, run.now()) : skip('usage-plans', noStack),
    ),
  );
  const cleanup = Promise.allSettled([guardedPair, events]).then(() => cleanupCheck(leftovers));
  return {
    checks: [
      api,
      found.then((f) => f.check),
      guardedPair.then(([allows]) => allows),
      guardedPair.then(([, refuses]) => refuses),
      events,
      pepper,
      alarms,
      plans,
      cleanup,
    ],
    deployment,
  };
}
