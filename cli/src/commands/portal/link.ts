import { type Command, InvalidArgumentError, Option } from 'commander';
import type { Body } from '#client/index.ts';
import { examples } from '../../lib/command.ts';
import { Ctx, type Io } from '../../lib/context.ts';
import { UsageError } from '../../lib/errors.ts';
import { collect, commaList } from '../../lib/parse.ts';
import { scopeFlags } from '../../lib/scope.ts';

function requiredScope(flags: LinkFlags) {
  const scope = scopeFlags(flags);
  if (!scope)
    throw new UsageError(
      'a portal link is for one scope: give --workspace, or --organization with --workspaces',
    );
  return scope;
}

const PERMISSIONS = ['api.key.view', 'api.key.create', 'api.key.update', 'api.key.delete'];
const TYPES = ['personal', 'service'];
const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600 };

/** A repeatable flag whose every value must be one of `choices`. */
const oneOf = (choices: readonly string[]) => (value: string, previous: string[] | undefined) => {
  if (!choices.includes(value)) throw new InvalidArgumentError(`expected one of ${choices.join(', ')}`);
  return collect(value, previous);
};

/** `--expires-in 30m|1h|12h|<seconds>`: the session's `expiresInSeconds` (1 minute to 12 hours). */
export function parseExpiresIn(value: string): number {
  const match = /^(\d{1,6})([smh]?)$/.exec(value);
  if (!match) throw new InvalidArgumentError('expected a duration such as 30m, 1h or 12h, or seconds');
  const seconds = Number(match[1]) * (UNITS[match[2] || 's'] ?? 1);
  if (seconds < 60 || seconds > 43_200) throw new InvalidArgumentError('a session lasts from 1m to 12h');
  return seconds;
}

interface LinkFlags {
  subject: string;
  workspace?: string;
  organization?: string;
  workspaces?: string[];
  permission?: string[];
  role?: string[];
  type?: string[];
  allPersonal?: boolean;
  expiresIn?: number;
  returnUrl?: string;
  productName?: string;
}

/** `portal link`: POST /v1/portal/sessions, and print the link. */
export function register(portal: Command, io: Io): void {
  const command = portal
    .command('link')
    .description("make a one-time link (valid 10 minutes) for one of your product's users")
    .requiredOption('--subject <id>', 'the user in your product (owner of the personal keys they make)')
    .addOption(new Option('-w, --workspace <id>', 'the workspace the user manages').conflicts('organization'))
    .option('--organization <id>', 'an organization the user manages (with --workspaces)')
    .option('--workspaces <ids>', 'with --organization: workspace IDs, comma-separated, or *', commaList)
    .option(
      '-p, --permission <permission>',
      `what the user may do: ${PERMISSIONS.join(', ')}; repeatable (default: all four)`,
      oneOf(PERMISSIONS),
    )
    .option('-r, --role <role>', 'a role the user may give a key; repeatable (default: read)', collect)
    .option(
      '-t, --type <type>',
      'a key type the user may create: personal or service; repeatable',
      oneOf(TYPES),
    )
    .option('--all-personal', "the user also sees other people's personal keys in the scope")
    .option(
      '--expires-in <duration>',
      'how long the session lasts: 30m, 1h (default), up to 12h',
      parseExpiresIn,
    )
    .option('--return-url <url>', 'the page of your product the portal links back to')
    .option('--product-name <name>', 'your product name, shown on the portal')
    .action(async (flags: LinkFlags, cmd: Command) => {
      const ctx = Ctx.of(io, cmd);
      // The flags' values are the API's (commander holds them to its choices); the API checks them again.
      const body = {
        subject: flags.subject,
        scope: requiredScope(flags),
        ...(flags.permission ? { permissions: flags.permission } : {}),
        ...(flags.role ? { roles: flags.role } : {}),
        ...(flags.type ? { types: flags.type } : {}),
        ...(flags.allPersonal ? { personalKeys: 'all' } : {}),
        ...(flags.expiresIn !== undefined ? { expiresInSeconds: flags.expiresIn } : {}),
        ...(flags.returnUrl ? { returnUrl: flags.returnUrl } : {}),
        ...(flags.productName ? { branding: { productName: flags.productName } } : {}),
      } as Body<'createPortalSession'>;
      const session = await (await ctx.api()).call((c) => c.portalSessions.create(body));
      if (ctx.json) return ctx.printJson(session);
      ctx.out(session.url);
      ctx.err(
        `One-time link for ${flags.subject}: open it within 10 minutes; the session ends ${session.expiresAt} (${session.sessionId}).`,
      );
    });
  examples(
    command,
    'latchkey portal link --subject alice@example.com --workspace ws-1',
    'latchkey portal link --subject u_42 --organization acme --workspaces ws-1,ws-2 --role read --role write --type service --expires-in 30m',
    'latchkey portal link --subject u_42 --workspace ws-1 --permission api.key.view  # look, do not touch',
  );
}
