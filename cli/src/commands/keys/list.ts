import type { KeyPage } from '@latchkey/client/types';
import { type Command, Option } from 'commander';
import type { Query } from '#client/index.ts';
import { examples } from '../../lib/command.ts';
import { Ctx, type Io } from '../../lib/context.ts';
import { fetchPages, moreHint } from '../../lib/paging.ts';
import { parseBool, parsePositiveInt } from '../../lib/parse.ts';
import { keysTable } from './render.ts';

interface ListFlags {
  search?: string;
  owner?: string;
  role?: string;
  status?: Query<'listKeys'>['status'];
  type?: Query<'listKeys'>['type'];
  rotationDue?: boolean;
  limit?: number;
  cursor?: string;
  all?: boolean;
  wide?: boolean;
}

/** `keys list`: GET /v1/keys with every filter; `--all` follows nextCursor. */
export function register(keys: Command, io: Io): void {
  const command = keys
    .command('list')
    .alias('ls')
    .description('list keys, newest first; revoked keys only with --status revoked')
    .option('-s, --search <text>', 'in name, key ID and description')
    .option('-o, --owner <owner>', 'keys of this owner')
    .option('-r, --role <role>', 'keys with this role')
    .addOption(
      new Option('--status <status>', 'keys in this status (default: all but revoked)').choices([
        'active',
        'inactive',
        'revoked',
        'expired',
      ]),
    )
    .addOption(
      new Option('-t, --type <type>', 'keys of this type').choices(['personal', 'service', 'canary']),
    )
    .option('--rotation-due [bool]', 'only keys due for rotation (or, with false, not due)', parseBool)
    .option('-l, --limit <n>', 'keys per page (1-100, default 50)', parsePositiveInt)
    .option('--cursor <cursor>', 'carry on from an earlier page')
    .option('-a, --all', 'every page, following nextCursor')
    .option('--wide', 'more columns, full ISO times')
    .action(async (flags: ListFlags, cmd: Command) => {
      const ctx = Ctx.of(io, cmd);
      const page = await fetchPages<KeyPage>(ctx, {
        path: '/v1/keys',
        page: (client, cursor) =>
          client.keys.list({
            search: flags.search,
            owner: flags.owner,
            role: flags.role,
            status: flags.status,
            type: flags.type,
            rotationDue: flags.rotationDue === undefined ? undefined : flags.rotationDue ? 'true' : 'false',
            limit: flags.limit,
            cursor: cursor ?? flags.cursor,
          }),
        all: flags.all,
        noun: 'keys',
      });
      if (ctx.json) return ctx.printJson(page);
      // As the dashboard does: revoked keys leave the default view, and the footer says how to see them.
      const shown = flags.status ? page.items : page.items.filter((key) => key.status !== 'revoked');
      const hidden = page.items.length - shown.length;
      if (shown.length === 0) ctx.err('No keys match.');
      else ctx.out(keysTable(ctx.style(flags.wide), shown));
      if (hidden > 0) {
        ctx.err(
          `${hidden} revoked ${hidden === 1 ? 'key' : 'keys'} hidden: add --status revoked to see ${hidden === 1 ? 'it' : 'them'}`,
        );
      }
      moreHint(ctx, page, 'keys');
    });
  examples(
    command,
    'latchkey keys list',
    'latchkey keys list --owner alice --status active',
    'latchkey keys list --role support --rotation-due  # due for rotation',
    'latchkey keys list --status revoked  # the default list leaves them out',
    'latchkey keys list --search billing --all --wide',
    'latchkey keys list --all --json | jq -r ".items[].keyId"',
  );
}
