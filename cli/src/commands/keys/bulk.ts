import type { BulkDryRun, BulkFilter, BulkResult, BulkRun } from '@latchkey/client/types';
import { type Command, Option } from 'commander';
import type { Body } from '#client/index.ts';
import { examples } from '../../lib/command.ts';
import { confirm } from '../../lib/confirm.ts';
import { Ctx, type Io } from '../../lib/context.ts';
import type { ApiClient } from '../../lib/http.ts';
import { paint, status, table, time } from '../../lib/output.ts';
import { parseBool, parseInstant } from '../../lib/parse.ts';

interface BulkFlags {
  search?: string;
  owner?: string;
  role?: string;
  status?: BulkFilter['status'];
  type?: BulkFilter['type'];
  rotationDue?: boolean;
  workspace?: string;
  organization?: string;
  createdBefore?: string;
  createdAfter?: string;
  lastUsedBefore?: string;
  yes?: boolean;
}

const CONSEQUENCE: Record<'revoke' | 'disable', string> = {
  revoke: 'Applications using these keys will stop working, for good.',
  disable: 'Applications using these keys will stop working until each key is enabled again.',
};

function filterOf(flags: BulkFlags): BulkFilter {
  const filter: BulkFilter = {
    search: flags.search,
    owner: flags.owner,
    role: flags.role,
    status: flags.status,
    type: flags.type,
    rotationDue: flags.rotationDue,
    workspaceId: flags.workspace,
    organizationId: flags.organization,
    createdBefore: flags.createdBefore,
    createdAfter: flags.createdAfter,
    lastUsedBefore: flags.lastUsedBefore,
  };
  return Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== undefined));
}

/** POST /v1/keys/bulk: a dry run answers as one, a run as a run. */
function bulk(api: ApiClient, request: Body<'bulkKeys'> & { dryRun: true }): Promise<BulkDryRun>;
function bulk(api: ApiClient, request: Body<'bulkKeys'> & { dryRun: false }): Promise<BulkRun>;
function bulk(api: ApiClient, request: Body<'bulkKeys'>): Promise<BulkResult> {
  return api.call((c) => c.keys.bulk(request));
}

/**
 * `keys bulk revoke|disable`: the kill switch. A dry run first (its count and the first 20 keys),
 * a question on a terminal (--yes skips it; without a terminal and --yes, a usage error), then the
 * run, called again until it is done.
 */
async function run(action: 'revoke' | 'disable', flags: BulkFlags, ctx: Ctx) {
  const api = await ctx.api();
  const filter = filterOf(flags);
  const dry = await bulk(api, { filter, action, dryRun: true });
  const style = ctx.errStyle();
  if (dry.matched === 0) {
    if (ctx.json) ctx.printJson(dry);
    else ctx.err('No keys match: nothing to do.');
    return;
  }
  if (!ctx.json || !flags.yes) {
    const rows = dry.sample.map((k) => [
      k.keyId,
      k.name,
      k.owner,
      status(style, k.status),
      time(style, k.lastUsedAt, 'never'),
    ]);
    ctx.err(
      `${dry.matched} key${dry.matched === 1 ? '' : 's'} match${dry.matched === 1 ? 'es' : ''}${dry.matched > dry.sample.length ? `; the first ${dry.sample.length}` : ''}:`,
    );
    ctx.err(
      table(
        style,
        [
          { header: 'KEY ID' },
          { header: 'NAME' },
          { header: 'OWNER' },
          { header: 'STATUS' },
          { header: 'LAST USED' },
        ],
        rows,
      ),
    );
  }
  await confirm(ctx, {
    yes: flags.yes,
    action: `keys bulk ${action}`,
    question: `${action === 'revoke' ? 'Revoke' : 'Disable'} all ${dry.matched} keys?`,
    consequence: CONSEQUENCE[action],
  });
  let result: BulkRun;
  do {
    result = await bulk(api, { filter, action, dryRun: false, confirm: dry.confirm });
    if (!result.done && !ctx.json) ctx.err(`… ${result.affected} so far, carrying on`);
  } while (!result.done);
  if (ctx.json) return ctx.printJson(result);
  ctx.out(
    `${action === 'revoke' ? 'Revoked' : 'Disabled'} ${result.affected} key${result.affected === 1 ? '' : 's'} (run ${result.runId})`,
  );
  for (const failure of result.failed) ctx.err(paint(style, 'red', `${failure.keyId}: ${failure.message}`));
}

function addFilterFlags(command: Command): Command {
  return command
    .option('-s, --search <text>', 'in name, key ID and description')
    .option('-o, --owner <owner>', 'keys of this owner (exactly: a kill switch acts on one owner)')
    .option('-r, --role <role>', 'keys with this role')
    .addOption(
      new Option('--status <status>', 'keys in this status').choices(['active', 'inactive', 'expired']),
    )
    .addOption(
      new Option('-t, --type <type>', 'keys of this type (canaries only when asked for)').choices([
        'personal',
        'service',
        'canary',
      ]),
    )
    .option('--rotation-due [bool]', 'only keys due for rotation (or, with false, not due)', parseBool)
    .option('-w, --workspace <id>', 'keys of this workspace')
    .option('--organization <id>', 'keys of this organization')
    .option('--created-before <time>', 'keys created before this time', parseInstant('--created-before'))
    .option('--created-after <time>', 'keys created after this time', parseInstant('--created-after'))
    .option(
      '--last-used-before <time>',
      'keys last used before this time (never used: created before it)',
      parseInstant('--last-used-before'),
    )
    .option('-y, --yes', 'do not ask for confirmation');
}

/** `keys bulk revoke|disable`: POST /v1/keys/bulk, a dry run and then the run. */
export function register(keys: Command, io: Io): void {
  const bulk = keys
    .command('bulk')
    .description('revoke or disable every key a filter matches (a dry run first)');
  examples(
    bulk,
    'latchkey keys bulk revoke --owner alice@example.com',
    'latchkey keys bulk disable --last-used-before 2026-01-01 --type personal',
  );
  for (const action of ['revoke', 'disable'] as const) {
    const command = addFilterFlags(
      bulk
        .command(action)
        .description(
          action === 'revoke'
            ? 'revoke every matching key now and for good'
            : 'disable every matching key (each can be enabled again)',
        ),
    ).action(async (flags: BulkFlags, cmd: Command) => run(action, flags, Ctx.of(io, cmd)));
    examples(
      command,
      `latchkey keys bulk ${action} --owner alice@example.com  # shows the keys, asks first`,
      `latchkey keys bulk ${action} --owner ci-bot --last-used-before 2026-01-01 --yes`,
    );
  }
}
