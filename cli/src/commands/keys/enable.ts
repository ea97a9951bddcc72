import type { Command } from 'commander';
import { examples } from '../../lib/command.ts';
import { Ctx, type Io } from '../../lib/context.ts';
import { keyIdArg, keySubject } from './flags.ts';

/** `keys enable ID` / `keys disable ID`: PATCH /v1/keys/{keyId} `{ enabled }`. */
function toggle(keys: Command, io: Io, enabled: boolean): void {
  const verb = enabled ? 'enable' : 'disable';
  const command = keys
    .command(verb)
    .description(
      enabled
        ? 'enable a disabled key'
        : 'disable a key (requests with it are refused until it is enabled again)',
    )
    .argument('<keyId>', 'the key ID (key_…)', keyIdArg)
    .action(async (keyId: string, _flags: unknown, cmd: Command) => {
      const ctx = Ctx.of(io, cmd);
      const body = await (await ctx.api()).call((c) => c.keys.update(keyId, { enabled }), keySubject(keyId));
      if (ctx.json) return ctx.printJson(body);
      ctx.out(`${enabled ? 'Enabled' : 'Disabled'} ${body.keyId} (${body.name})`);
      // Enabled is not always active: an expired key stays expired.
      if (enabled && body.status !== 'active')
        ctx.err(`${body.keyId} is ${body.status}: requests with it are still refused`);
    });
  examples(command, `latchkey keys ${verb} key_8fJ2kQ9xW3mN5pR7tV1yZa`);
}

export function register(keys: Command, io: Io): void {
  toggle(keys, io, true);
  toggle(keys, io, false);
}
