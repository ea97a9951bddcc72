import type { Command } from 'commander';
import { examples } from '../../lib/command.ts';
import type { Io } from '../../lib/context.ts';
import * as create from './create.ts';
import * as del from './delete.ts';
import * as get from './get.ts';
import * as list from './list.ts';
import * as update from './update.ts';

const VERBS = [list, get, create, update, del];

/** The `roles` group: built-in roles and custom ones (name, description, permissions). */
export function register(program: Command, io: Io): void {
  const roles = program.command('roles').description('list and manage roles (named sets of permissions)');
  for (const verb of VERBS) verb.register(roles, io);
  examples(roles, 'latchkey roles list', 'latchkey roles create support --permission tickets:read');
}
