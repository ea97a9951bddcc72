import { DAY_MS } from '#domain/key.ts';
import { keyPath, usageQuery } from '#domain/schemas.ts';
import { keyService, usageStore } from '#platform/deps.ts';
import { httpRoute } from '#platform/http.ts';

const keys = keyService();
const usage = usageStore();

/** GET /v1/keys/{keyId}/usage?days=30 — requests per UTC day, allowed and refused, oldest first. */
export const handler = httpRoute({ path: keyPath, query: usageQuery }, async ({ path, query }) => {
  const key = await keys.get(path.keyId);
  const today = Date.parse(new Date().toISOString().slice(0, 10));
  const dates = Array.from({ length: query.days }, (_, i) =>
    new Date(today - (query.days - 1 - i) * DAY_MS).toISOString().slice(0, 10),
  );
  const stored = new Map((await usage.days(key.keyId, dates[0] as string)).map((d) => [d.date, d]));
  const days = dates.map((date) => stored.get(date) ?? { date, allowed: 0, refused: 0 });
  const total = days.reduce((t, d) => ({ allowed: t.allowed + d.allowed, refused: t.refused + d.refused }), {
    allowed: 0,
    refused: 0,
  });
  return { status: 200, body: { keyId: key.keyId, lastUsedAt: key.lastUsedAt, days, total } };
});
