import type { ImportResult } from '@latchkey/client/types';
import type { Body } from '#client/index.ts';
import type { Ctx } from '../../lib/context.ts';
import { ApiRefusal } from '../../lib/errors.ts';
import { batches, type ImportItem } from '../../lib/import-sources.ts';
import { table } from '../../lib/output.ts';

/**
 * Sends the keys in batches (100 a call, under the body limit) and prints what was imported and
 * what failed, by row. Never a secret: the rows are numbered, the keys named by ID. Any failure
 * exits 1 once every batch has been sent.
 */
export async function importAll(ctx: Ctx, items: readonly ImportItem[], rowOf: (i: number) => string) {
  const api = await ctx.api();
  const answer: ImportResult = { imported: [], failed: [] };
  let offset = 0;
  for (const batch of batches(items)) {
    const body = await api.call((c) => c.keys.import({ keys: batch as Body<'importKeys'>['keys'] }));
    answer.imported.push(...body.imported);
    answer.failed.push(...body.failed.map((f) => ({ ...f, index: f.index + offset })));
    offset += batch.length;
  }
  if (ctx.json) ctx.printJson(answer);
  else {
    const style = ctx.style();
    ctx.out(`Imported ${answer.imported.length} of ${items.length} keys`);
    if (answer.imported.length)
      ctx.out(
        table(
          style,
          [{ header: 'KEY ID' }, { header: 'NAME', shrink: true }, { header: 'OWNER', shrink: true }],
          answer.imported.map((k) => [k.keyId, k.name, k.owner]),
        ),
      );
    if (answer.failed.length) {
      ctx.out(`\nFailed: ${answer.failed.length}`);
      ctx.out(
        table(
          style,
          [{ header: 'ROW' }, { header: 'CODE' }, { header: 'REASON', shrink: true }],
          answer.failed.map((f) => [rowOf(f.index), f.error.code, f.error.message]),
        ),
      );
    }
  }
  if (answer.failed.length)
    throw new ApiRefusal(`${answer.failed.length} of ${items.length} keys were not imported`, []);
}
