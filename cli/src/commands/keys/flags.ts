import { type Command, Option } from 'commander';
import { UsageError } from '../../lib/errors.ts';
import type { Subject } from '../../lib/http.ts';
import { collect, collectMetadata, commaList, parseExpires, parsePositiveInt } from '../../lib/parse.ts';
import { scopeFlags } from '../../lib/scope.ts';

const NEVER = 'never';

/** The key fields that both create and update (PATCH) take; each flag is one API field. */
export interface EditFlags {
  name?: string;
  description?: string | false;
  role?: string[];
  permission?: string[];
  /** An ISO time, or NEVER (commander turns a parser's null into '', so "never" stays a word here). */
  expires?: string;
  ip?: string[] | false;
  metadata?: Record<string, string> | false;
  plan?: string | false;
}

export function addEditFlags(command: Command, verb: 'create' | 'update'): Command {
  const replaces = verb === 'update' ? ' (replaces the list)' : '';
  return command
    .option('-n, --name <name>', 'a label (defaults to the key ID)')
    .option('-d, --description <text>', 'free text')
    .option('-r, --role <role>', `a role, e.g. read, write, admin; repeatable${replaces}`, collect)
    .option(
      '-p, --permission <permission>',
      `an extra permission, e.g. orders:read; repeatable${replaces}`,
      collect,
    )
    .option('-e, --expires <when>', 'never, Nd (30d, 90d…) or an ISO time', (v) => parseExpires(v) ?? NEVER)
    .option('--ip <cidr>', `an allowed IPv4/IPv6 address or CIDR; repeatable${replaces}`, collect)
    .option('-m, --metadata <key=value>', `a metadata entry; repeatable${replaces}`, collectMetadata)
    .option('--plan <plan>', 'a usage plan: rate limit, burst and quota (`GET /v1/plans` lists them)');
}

/** Only what was given, under the API's names. */
export function editBody(flags: EditFlags): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (flags.name !== undefined) body.name = flags.name;
  if (flags.description !== undefined)
    body.description = flags.description === false ? null : flags.description;
  if (flags.role) body.roles = flags.role;
  if (flags.permission) body.permissions = flags.permission;
  if (flags.expires !== undefined) body.expiresAt = flags.expires === NEVER ? null : flags.expires;
  if (flags.ip !== undefined) body.ipAllowlist = flags.ip === false ? null : flags.ip;
  if (flags.metadata !== undefined) body.metadata = flags.metadata === false ? null : flags.metadata;
  if (flags.plan !== undefined) body.plan = flags.plan === false ? null : flags.plan;
  return body;
}

export interface CreateFlags extends EditFlags {
  owner?: string;
  type?: string;
  workspace?: string;
  organization?: string;
  workspaces?: string[];
  environment?: string;
  rotationDays?: number;
  usageIdentifierKey?: string;
}

export function addCreateFlags(command: Command): Command {
  return addEditFlags(command, 'create')
    .option('-o, --owner <owner>', 'user or team the key belongs to (default: you)')
    .addOption(
      new Option('-t, --type <type>', 'what the key is for (canary: a honeytoken, never valid)').choices([
        'personal',
        'service',
        'canary',
      ]),
    )
    .addOption(
      new Option('-w, --workspace <id>', 'the one workspace the key works in (default: "default")').conflicts(
        'organization',
      ),
    )
    .option('--organization <id>', 'an organization-wide key (with --workspaces)')
    .option('--workspaces <ids>', 'with --organization: workspace IDs, comma-separated, or *', commaList)
    .addOption(
      new Option('--environment <env>', 'lk_live_ (production) or lk_test_ (development) secret').choices([
        'production',
        'development',
      ]),
    )
    .option(
      '--rotation-days <days>',
      'rotate every N days (default 90 in production, 180 in development)',
      parsePositiveInt,
    )
    .option('--usage-identifier-key <id>', 'API Gateway usage plan identifier for this key');
}

export function createBody(flags: CreateFlags): Record<string, unknown> {
  const body = editBody(flags);
  const scope = scopeFlags(flags);
  if (flags.owner !== undefined) body.owner = flags.owner;
  if (flags.type !== undefined) body.type = flags.type;
  if (scope) body.scope = scope;
  if (flags.environment !== undefined) body.environment = flags.environment;
  if (flags.rotationDays !== undefined) body.rotationDays = flags.rotationDays;
  if (flags.usageIdentifierKey !== undefined) body.usageIdentifierKey = flags.usageIdentifierKey;
  return body;
}

/**
 * A key ID argument, checked before any request for its shape only: `key_nope` goes to the API,
 * which has no such key (see keySubject), while a name given for an ID is a usage error.
 */
export function keyIdArg(value: string): string {
  if (!/^key_[A-Za-z0-9]{1,64}$/.test(value)) {
    throw new UsageError(`"${value}" is not a key ID (key_…)`, [
      `to find a key by its name: latchkey keys list --search ${/^[\w.:-]+$/.test(value) ? value : JSON.stringify(value)}`,
    ]);
  }
  return value;
}

/** A request about one key: the API having no such key reads "no key key_…". */
export const keySubject = (keyId: string, field = 'path.keyId'): Subject => ({ name: `key ${keyId}`, field });
