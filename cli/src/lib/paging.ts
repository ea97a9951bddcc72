import type { AuditPage, EventPage, KeyPage, UsageOverview } from '@latchkey/client/types';
import { type LatchkeyClient, paginate } from '#client/index.ts';
import type { Ctx } from './context.ts';
import { ServerFailure } from './errors.ts';
import type { Subject } from './http.ts';

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
type Page = KeyPage | AuditPage | EventPage | UsageOverview;

/**
 * One page, or with `all` every page (the client's paginator following nextCursor) as one page
 * with nextCursor null. `page` asks for the page at a cursor (undefined: the first one asked for).
 */
export async function fetchPages<P extends Page>(
  ctx: Ctx,
  request: {
    page: (client: LatchkeyClient, cursor: string | undefined) => Promise<P>;
    /** The list's path, for the error when the API loops. */
    path: string;
    all?: boolean;
    /** What the items are, for the progress line (none without it). */
    noun?: string;
    subject?: Subject;
  },
): Promise<P> {
  const api = await ctx.api();
  const first = await api.call((client) => request.page(client, undefined), request.subject);
  if (!request.all) return first;
  const items: P['items'][number][] = [];
  const progress = request.noun ? new Progress(ctx, request.noun) : undefined;
  const seen = new Set<string>();
  const pages = paginate<P['items'][number]>(async (cursor) => {
    if (cursor === undefined) return first;
    if (seen.has(cursor)) throw new ServerFailure(`${request.path} answered the same nextCursor twice`);
    seen.add(cursor);
    progress?.update(items.length);
    return api.call((client) => request.page(client, cursor));
  });
  for await (const item of pages) items.push(item);
  progress?.done(items.length);
  return { ...first, items, nextCursor: null } as P;
}

/** Off `--all`, tell people there is more (on stderr, so stdout stays the data). */
export function moreHint(ctx: Ctx, page: Page, noun: string): void {
  if (!page.nextCursor) return;
  const early =
    'truncated' in page && page.truncated ? 'The API stopped this page early (its read budget). ' : '';
  ctx.err(`${early}More ${noun}: add --all, or --cursor ${page.nextCursor}`);
}
