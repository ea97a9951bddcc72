import type { Command } from 'commander';
import { examples } from '../../lib/command.ts';
import type { Io } from '../../lib/context.ts';
import * as link from './link.ts';

/** `portal`: self-service links for the users of the team's product. */
export function register(program: Command, io: Io): void {
  const portal = program
    .command('portal')
    .description("self-service: a one-time link for one of your product's users to manage their own keys");
  link.register(portal, io);
  examples(portal, 'latchkey portal link --subject alice@example.com --workspace ws-1');
}
