import type { AuditEntry, AuditPage } from '@latchkey/client/types';
import type { Command } from 'commander';
import { examples } from '../lib/command.ts';
import { Ctx, type Io } from '../lib/context.ts';
import { table, time } from '../lib/output.ts';
import { fetchPages, moreHint } from '../lib/paging.ts';
import { parsePositiveInt } from '../lib/parse.ts';
import { keyIdArg, keySubject } from './keys/flags.ts';

interface AuditFlags {
  key?: string;
  actor?: string;
  action?: string;
  limit?: number;
  cursor?: string;
  all?: boolean;
}

/** The fields an entry changed (bookkeeping left out when there is more to say). */
function changed(entry: AuditEntry): string {
  const names = Object.keys(entry.changes ?? {});
  if (entry.action.endsWith('.created')) return '';
  return names.filter((n) => !['updatedAt', 'version'].includes(n)).join(', ');
}

/** `audit`: GET /v1/audit, newest first. */
export function register(program: Command, io: Io): void {
  const command = program
    .command('audit')
    .description('who did what, when: the audit history, newest first')
    .option('-k, --key <keyId>', 'entries for one key', keyIdArg)
    .option('--actor <actor>', 'entries by one actor (IAM ARN, local-admin)')
    .option('--action <action>', 'entries of one action, e.g. key.revoked')
    .option('-l, --limit <n>', 'entries per page (1-100, default 50)', parsePositiveInt)
    .option('--cursor <cursor>', 'carry on from an earlier page')
    .option('-a, --all', 'every page, following nextCursor')
    .action(async (flags: AuditFlags, cmd: Command) => {
      const ctx = Ctx.of(io, cmd);
      const page = await fetchPages<AuditPage>(ctx, {
        path: '/v1/audit',
        page: (client, cursor) =>
          client.audit.list({
            keyId: flags.key,
            actor: flags.actor,
            action: flags.action,
            limit: flags.limit,
            cursor: cursor ?? flags.cursor,
          }),
        all: flags.all,
        noun: 'audit entries',
        ...(flags.key ? { subject: keySubject(flags.key, 'query.keyId') } : {}),
      });
      if (ctx.json) return ctx.printJson(page);
      const style = ctx.style();
      if (page.items.length === 0) ctx.err('No audit entries match.');
      else
        ctx.out(
          table(
            style,
            [
              { header: 'WHEN' },
              { header: 'ACTOR', shrink: true },
              { header: 'ACTION' },
              { header: 'TARGET' },
              { header: 'CHANGED', shrink: true },
            ],
            page.items.map((e) => [
              time(style, e.at),
              e.actor,
              e.action,
              e.keyId ?? e.role ?? '-',
              changed(e) || '-',
            ]),
          ),
        );
      moreHint(ctx, page, 'audit entries');
    });
  examples(
    command,
    'latchkey audit',
    'latchkey audit --key key_8fJ2kQ9xW3mN5pR7tV1yZa --all',
    'latchkey audit --action key.revoked --json',
  );
}
