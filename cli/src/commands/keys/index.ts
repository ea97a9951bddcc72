import type { Command } from 'commander';
import { examples } from '../../lib/command.ts';
import type { Io } from '../../lib/context.ts';
import * as bulk from './bulk.ts';
import * as create from './create.ts';
import * as del from './delete.ts';
import * as enable from './enable.ts';
import * as get from './get.ts';
import * as list from './list.ts';
import * as requests from './requests.ts';
import * as revoke from './revoke.ts';
import * as rotate from './rotate.ts';
import * as update from './update.ts';
import * as usage from './usage.ts';

/** The `keys` group: one file per verb, registered in the order help lists them. */
const VERBS = [create, list, get, update, enable, revoke, rotate, del, usage, requests, bulk];

export function register(program: Command, io: Io): void {
  const keys = program.command('keys').description('create, list, edit, rotate and revoke API keys');
  for (const verb of VERBS) verb.register(keys, io);
  examples(
    keys,
    'latchkey keys create --name "CI deploy" --role read --expires 90d',
    'latchkey keys list --status active',
  );
}
