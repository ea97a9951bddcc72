import type { Command } from 'commander';
import { examples } from '../../lib/command.ts';
import { Ctx, type Io } from '../../lib/context.ts';
import { parseGrace } from '../../lib/parse.ts';
import { keyIdArg, keySubject } from './flags.ts';
import { printKey, printSecret, warnOnce } from './render.ts';

interface RotateFlags {
  grace: number;
  idempotencyKey?: string;
  quiet?: boolean;
}

const graceText = (seconds: number) =>
  seconds % 86_400 === 0
    ? `${seconds / 86_400}d`
    : seconds % 3600 === 0
      ? `${seconds / 3600}h`
      : `${seconds}s`;

/** `keys rotate ID`: POST /v1/keys/{keyId}/rotate; the new secret is printed once. */
export function register(keys: Command, io: Io): void {
  const command = keys
    .command('rotate')
    .description('replace a key with a new one with the same settings; the old one works for --grace')
    .argument('<keyId>', 'the key ID (key_…)', keyIdArg)
    .option(
      '-g, --grace <duration>',
      'how long the old secret keeps working: 0, 1h, 24h, 7d or seconds',
      parseGrace,
      0,
    )
    .option(
      '--idempotency-key <id>',
      'retry-safe: the same id answers the same rotation (without the secret)',
    )
    .option('-q, --quiet', 'print only the new secret (for piping)')
    .action(async (keyId: string, flags: RotateFlags, cmd: Command) => {
      const ctx = Ctx.of(io, cmd);
      const body = await (await ctx.api()).call(
        (c) =>
          c.keys.rotate(
            keyId,
            { gracePeriodSeconds: flags.grace },
            flags.idempotencyKey ? { idempotencyKey: flags.idempotencyKey } : {},
          ),
        keySubject(keyId),
      );
      if (flags.quiet) {
        if (body.secret) ctx.out(body.secret);
        else
          ctx.err('this rotation was already done (same --idempotency-key): its secret is not shown again');
        return;
      }
      if (ctx.json) {
        ctx.printJson(body);
        if (body.secret) warnOnce(ctx);
        return;
      }
      const old = body.previous;
      const until =
        old.status === 'revoked'
          ? 'is revoked'
          : `keeps working for ${graceText(flags.grace)}, until ${old.expiresAt}`;
      ctx.out(`Rotated ${old.keyId} → ${body.key.keyId}; the old key ${until}`);
      printKey(ctx, body.key);
      ctx.out();
      if (body.secret) printSecret(ctx, body.secret);
      else ctx.err('this rotation was already done (same --idempotency-key): its secret is not shown again');
    });
  examples(
    command,
    'latchkey keys rotate key_8fJ2kQ9xW3mN5pR7tV1yZa  # old key revoked at once',
    'latchkey keys rotate key_8fJ2kQ9xW3mN5pR7tV1yZa --grace 24h  # old key works one more day',
    'latchkey keys rotate key_8fJ2kQ9xW3mN5pR7tV1yZa -g 7d --quiet > new-secret.txt',
  );
}
