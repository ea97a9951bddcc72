import type { Command } from 'commander';

/** Every command's help ends with examples: `$ latchkey …` lines, each with an optional comment. */
export function examples(command: Command, ...lines: string[]): Command {
  const commented = lines.filter((l) => l.includes('  # '));
  const width = Math.max(0, ...commented.map((l) => l.split('  # ')[0]?.length ?? 0));
  const text = lines.map((l) => {
    const [cmd = '', comment] = l.split('  # ');
    return comment ? `  $ ${cmd.padEnd(width)}  # ${comment}` : `  $ ${cmd}`;
  });
  return command.addHelpText('after', `\nExample${lines.length > 1 ? 's' : ''}:\n${text.join('\n')}\n`);
}

/** Each command's path under the program, e.g. `keys create`. */
export function commandPath(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c?.parent; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/** Calls `visit` on a command and every command under it. */
export function walk(command: Command, visit: (c: Command) => void): void {
  visit(command);
  for (const sub of command.commands) walk(sub, visit);
}
