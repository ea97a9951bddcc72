import type { Command } from 'commander';
import { examples } from '../lib/command.ts';
import { Ctx, type InStream, type Io } from '../lib/context.ts';
import { ApiRefusal, UsageError } from '../lib/errors.ts';
import { fields, list, paint } from '../lib/output.ts';

interface VerifyFlags {
  permission?: string;
  workspace?: string;
  sourceIp?: string;
}

async function readAll(stdin: InStream): Promise<string> {
  let text = '';
  for await (const chunk of stdin) text += chunk.toString();
  return text.trim();
}

/**
 * `verify SECRET`: POST /v1/verify, the authorizer's decision for a secret. An invalid secret
 * exits 1, like a refusal, so scripts can test it; `-` (or no argument) reads it from stdin,
 * which keeps it out of shell history.
 */
export function register(program: Command, io: Io): void {
  const command = program
    .command('verify')
    .description('check a secret as the authorizer would (exit 1 when it is refused)')
    .argument('[secret]', 'the secret (lk_…); - or none reads it from stdin')
    .option('-p, --permission <permission>', 'a permission the key must have, e.g. orders:read')
    .option('-w, --workspace <id>', 'the workspace the request is for')
    .option('--source-ip <ip>', 'the address the request comes from')
    .action(async (secretArg: string | undefined, flags: VerifyFlags, cmd: Command) => {
      const ctx = Ctx.of(io, cmd);
      let secret = secretArg;
      if (secret === undefined || secret === '-') {
        if (ctx.io.stdin.isTTY) throw new UsageError('give the secret as an argument or on stdin');
        secret = await readAll(ctx.io.stdin);
      }
      if (!secret) throw new UsageError('the secret is empty');
      const body = await (await ctx.api()).call((c) =>
        c.verify({
          key: secret,
          ...(flags.permission ? { permission: flags.permission } : {}),
          ...(flags.workspace ? { workspaceId: flags.workspace } : {}),
          ...(flags.sourceIp ? { sourceIp: flags.sourceIp } : {}),
        }),
      );
      if (ctx.json) ctx.printJson(body);
      else {
        const style = ctx.style();
        const pairs: [string, string][] = [
          ['Valid', body.valid ? paint(style, 'green', 'yes') : paint(style, 'red', 'no')],
          ['Code', body.code],
        ];
        if (body.key)
          pairs.push(['Key ID', body.key.keyId], ['Name', body.key.name], ['Owner', body.key.owner]);
        if (body.permissions) pairs.push(['Permissions', list(body.permissions)]);
        ctx.out(fields(style, pairs));
      }
      if (!body.valid) throw new ApiRefusal(`the secret was refused: ${body.code}`);
    });
  examples(
    command,
    'latchkey verify lk_live_… --permission orders:read',
    'printenv API_KEY | latchkey verify --workspace ws-1 --source-ip 203.0.113.7',
  );
}
