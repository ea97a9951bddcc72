import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { examples } from '../lib/command.ts';
import { resolveTarget } from '../lib/config.ts';
import { Ctx, type Io } from '../lib/context.ts';
import { NetworkFailure, UsageError } from '../lib/errors.ts';

/** Resolves when the process is asked to stop (Ctrl-C, SIGTERM). */
const untilStopped = () =>
  new Promise<string>((resolve) => {
    const stop = (signal: string) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });

function portOf(value: string): number {
  const port = Number(value);
  if (!/^\d{1,5}$/.test(value) || port > 65_535) throw new InvalidArgumentError('expected a port number');
  return port;
}

/**
 * `dashboard`: locally, the link to the dashboard the local server serves (the admin token in the
 * URL fragment, which no request carries); with `--endpoint`, the same page on 127.0.0.1 in front
 * of the deployment, every API call signed with SigV4 under your own AWS identity.
 */
export function register(program: Command, io: Io): void {
  const command = program
    .command('dashboard')
    .description('open the dashboard: the local server, or a deployment through a signing proxy')
    .option('--port <n>', 'port on 127.0.0.1 for the proxy (with --endpoint; default: a free one)', portOf)
    .action(async (flags: { port?: number }, cmd: Command) => {
      const ctx = Ctx.of(io, cmd);
      const target = await resolveTarget(ctx.options, io.env, io.cwd);
      if (target.mode === 'local') {
        if (flags.port !== undefined)
          throw new UsageError('--port needs --endpoint: locally, npm start serves the dashboard');
        // The data folder's running server, if it recorded one: the token in the link is its token.
        const base = (await target.recorded?.())?.url ?? target.baseUrl;
        const url = `${base}/#token=${await target.token()}`;
        if (ctx.json) return ctx.printJson({ url, mode: 'local' });
        ctx.out(`Dashboard: ${url}`);
        ctx.err('The link carries the admin token: open it in your browser, do not share it.');
        return;
      }
      // Loaded only here: the proxy builds and serves the dashboard's assets.
      const { startDashboardProxy } = await import('../lib/dashboard-proxy.ts');
      const proxy = await startDashboardProxy({
        endpoint: target.baseUrl,
        region: target.region,
        ...(target.profile ? { profile: target.profile } : {}),
        ...(flags.port !== undefined ? { port: flags.port } : {}),
      }).catch((cause: Error & { code?: string }) => {
        if (cause.code === 'EADDRINUSE') throw new UsageError(`port ${flags.port} is already in use`);
        throw new NetworkFailure(`the dashboard proxy could not start: ${cause.message}`);
      });
      if (ctx.json) ctx.printJson({ url: proxy.url, mode: 'aws', endpoint: target.baseUrl });
      else {
        ctx.out(`Dashboard for ${target.baseUrl} (signed as you, region ${target.region}): ${proxy.url}`);
        ctx.err(
          "The link carries this session's token: open it in your browser, do not share it. Ctrl-C stops.",
        );
      }
      await untilStopped();
      await proxy.close();
    });
  examples(
    command,
    'latchkey dashboard  # the local server’s dashboard link',
    'latchkey dashboard --endpoint https://abc123.execute-api.eu-west-1.amazonaws.com/v1 --port 8788',
  );
}
