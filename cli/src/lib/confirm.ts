import { createInterface } from 'node:readline';
import type { Ctx } from './context.ts';
import { Cancelled, UsageError } from './errors.ts';
import { paint } from './output.ts';

/**
 * Asks on the terminal before a destructive action; `--yes` skips the question. Without a
 * terminal to ask on, the command refuses (a usage error) rather than guessing.
 */
export async function confirm(
  ctx: Ctx,
  options: { yes?: boolean; action: string; question: string; consequence: string },
): Promise<void> {
  if (options.yes) return;
  const stdin = ctx.io.stdin;
  if (!stdin.isTTY) {
    throw new UsageError(`${options.action} needs confirmation: pass --yes (stdin is not a terminal)`, [
      options.consequence,
    ]);
  }
  const style = ctx.errStyle();
  ctx.io.stderr.write(`${paint(style, 'yellow', options.consequence)}\n${options.question} [y/N] `);
  const rl = createInterface({ input: stdin, terminal: false });
  const answer = await new Promise<string | undefined>((resolve) => {
    rl.once('line', resolve);
    rl.once('close', () => resolve(undefined));
  });
  rl.close();
  if (answer === undefined) ctx.io.stderr.write('\n');
  if (!/^\s*y(es)?\s*$/i.test(answer ?? ''))
    throw new Cancelled(`${options.action} cancelled; nothing changed`);
}
