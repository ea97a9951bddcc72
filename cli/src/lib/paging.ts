import type { AuditPage, EventPage, KeyPage, UsageOverview } from '@latchkey/client/types';
import type { Ctx } from './context.ts';
import { ServerFailure } from './errors.ts';
import type { Query, Subject } from './http.ts';

const PROGRESS_AFTER_MS = 1000;

/**
 * A progress line on stderr for a long `--all`: nothing for the first second, then the count so
 * far (redrawn in place on a terminal, at most a line a second elsewhere).
 */
class Progress {
  private readonly start: number;
  private shownAt?: number;

  constructor(
    private readonly ctx: Ctx,
    private readonly noun: string,
  ) {
    this.start = ctx.io.now();
  }

  update(count: number): void {
    const now = this.ctx.io.now();
    if (now - this.start < PROGRESS_AFTER_MS) return;
    const tty = this.ctx.io.stderr.isTTY === true;
    if (!tty && this.shownAt !== undefined && now - this.shownAt < PROGRESS_AFTER_MS) return;
    this.shownAt = now;
    const line = `fetching ${this.noun}… ${count} so far`;
    this.ctx.io.stderr.write(tty ? `\r\u001b[2K${line}` : `${line}\n`);
  }

  done(count: number): void {
    if (this.shownAt === undefined) return;
    const tty = this.ctx.io.stderr.isTTY === true;
    this.ctx.io.stderr.write(tty ? '\r\u001b[2K' : `fetched ${count} ${this.noun}\n`);
  }
}

/** The API's paged lists. */
type Page = KeyPage | AuditPage | EventPage;

/** One page, or with `all` every page (following nextCursor) as one page with nextCursor null. */
export async function fetchPages<P extends Page>(
  ctx: Ctx,
  request: { path: string; query: Query; all?: boolean; noun: string; subject?: Subject },
): Promise<P> {
  const api = await ctx.api();
  const { path, query, subject } = request;
  const first = (await api.request<P>({ method: 'GET', path, query, subject })).body;
  if (!request.all) return first;
  const items = [...first.items];
  const progress = new Progress(ctx, request.noun);
  const seen = new Set<string>();
  let cursor = first.nextCursor;
  while (cursor) {
    if (seen.has(cursor)) {
      throw new ServerFailure(`${request.path} answered the same nextCursor twice`);
    }
    seen.add(cursor);
    progress.update(items.length);
    const page = await api.request<P>({
      method: 'GET',
      path: request.path,
      query: { ...request.query, cursor },
    });
    items.push(...page.body.items);
    cursor = page.body.nextCursor;
  }
  progress.done(items.length);
  return { ...first, items, nextCursor: null } as P;
}

/** Off `--all`, tell people there is more (on stderr, so stdout stays the data). */
export function moreHint(ctx: Ctx, page: Page | UsageOverview, noun: string): void {
  if (!page.nextCursor) return;
  const early =
    'truncated' in page && page.truncated ? 'The API stopped this page early (its read budget). ' : '';
  ctx.err(`${early}More ${noun}: add --all, or --cursor ${page.nextCursor}`);
}
