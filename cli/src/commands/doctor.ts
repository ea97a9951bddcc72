import { randomBytes } from 'node:crypto';
import { setTimeout as wait } from 'node:timers/promises';
import type { Command } from 'commander';
import { examples } from '../lib/command.ts';
import { Ctx, type Io } from '../lib/context.ts';
import { destroyClients, doctorClients } from '../lib/doctor/aws.ts';
import type { Check } from '../lib/doctor/checks.ts';
import { checkData, checkLines } from '../lib/doctor/report.ts';
import { runDoctor } from '../lib/doctor/run.ts';
import { CheckFailed, NetworkFailure, UsageError } from '../lib/errors.ts';
import { paint } from '../lib/output.ts';

/**
 * `doctor`: checks a deployment end to end with the operator's AWS credentials, prints a
 * checklist with a fix for each failure, and exits 1 on any broken link (3 when nothing
 * answered at all). What it makes to check with is removed before it ends.
 */
export function register(program: Command, io: Io): void {
  const command = program
    .command('doctor')
    .description(
      'check a deployment end to end: the signed API, the authorizer, events to the topic, the pepper, alarms, usage plans',
    )
    .option('--stack <name>', 'the CloudFormation stack (default: the one whose outputs name --endpoint)')
    .action(async (flags: { stack?: string }, cmd: Command) => {
      const ctx = Ctx.of(io, cmd);
      const api = await ctx.api();
      const { target, credentials } = api;
      if (target.mode !== 'aws' || !credentials) {
        throw new UsageError('latchkey doctor checks a deployment: pass --endpoint with its stage URL', [
          'the ManagementApiEndpoint output of the stack, e.g. https://abc123.execute-api.eu-west-1.amazonaws.com/v1',
        ]);
      }
      // Before anything is made: no credentials is the operator's to fix. The same provider signs
      // the API's requests and the AWS clients', so the chain (and any SSO or MFA prompt) runs once.
      await credentials();
      const clients = doctorClients(target.region, credentials);
      const interrupted = new AbortController();
      const onInterrupt = () => interrupted.abort();
      process.once('SIGINT', onInterrupt);
      const sleep = io.sleep ?? ((ms: number) => wait(ms));
      const cliFlags = [
        `--endpoint ${target.baseUrl}`,
        ...(ctx.options.region ? [`--region ${ctx.options.region}`] : []),
        ...(ctx.options.profile ? [`--profile ${ctx.options.profile}`] : []),
      ];
      try {
        const { checks, deployment } = runDoctor({
          api,
          clients,
          endpoint: target.baseUrl,
          region: target.region,
          stack: flags.stack,
          runId: randomBytes(6).toString('hex'),
          now: io.now,
          sleep: (ms, signal) => (signal.aborted ? Promise.resolve() : sleep(ms)),
          signal: interrupted.signal,
          cli: `latchkey ${cliFlags.join(' ')}`,
        });
        const style = ctx.style();
        if (!ctx.json) {
          ctx.out(`Checking ${target.baseUrl} (${target.region})`);
          if (ctx.errStyle().tty)
            ctx.err(
              paint(
                ctx.errStyle(),
                'dim',
                'A test key and a temporary queue are made and removed again; the event check waits up to a minute.',
              ),
            );
        }
        const results: Check[] = [];
        for (const pending of checks) {
          const check = await pending;
          results.push(check);
          if (!ctx.json) ctx.out(`\n${checkLines(style, check)}`);
        }
        const failed = results.filter((c) => c.status === 'fail');
        if (ctx.json) {
          ctx.printJson({
            endpoint: target.baseUrl,
            region: target.region,
            stack: (await deployment)?.stackName ?? flags.stack ?? null,
            ok: failed.length === 0,
            checks: results.map(checkData),
          });
        } else if (failed.length === 0) ctx.out(`\nAll ${results.length} checks passed.`);
        if (failed.length === 0) return;
        if (!ctx.json) ctx.out();
        const message = `${failed.length} of ${results.length} checks failed: ${failed.map((c) => c.id).join(', ')}`;
        // Nothing answered at all: a network failure (3), not a verdict on the deployment (1).
        if (failed.every((c) => c.unreachable))
          throw new NetworkFailure(message, ['check --endpoint, --region and your network']);
        throw new CheckFailed(message);
      } finally {
        process.off('SIGINT', onInterrupt);
        destroyClients(clients);
      }
    });
  examples(
    command,
    'latchkey doctor --endpoint https://abc123.execute-api.eu-west-1.amazonaws.com/v1',
    'latchkey doctor --endpoint https://api.example.com/keys --region eu-west-1 --stack Latchkey-prod',
    'latchkey doctor --endpoint https://abc123.execute-api.eu-west-1.amazonaws.com/v1 --json | jq \'.checks[] | select(.status != "pass")\'',
  );
}
