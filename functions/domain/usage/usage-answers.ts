import { z } from 'zod';
import { keyStatusSchema } from '#domain/keys/key-answers.ts';
import { day, type Same, timestamp } from '#domain/shared/answers.ts';
import type { UsageDay } from '#domain/shared/ports.ts';

/** Usage as answers show it: per key and UTC day, and the overview across keys. */
export const usageDaySchema = z
  .object({
    date: day,
    allowed: z.number().int(),
    refused: z.number().int(),
  })
  .meta({ id: 'UsageDay' });
true satisfies Same<UsageDay, z.output<typeof usageDaySchema>>;

const totals = z.object({ allowed: z.number().int(), refused: z.number().int() });

const latencySchema = z.object({ p50: z.number(), p99: z.number() }).nullable().meta({
  id: 'LatencySummary',
  description:
    "p50 and p99 of the checks' own latency in milliseconds (1% relative accuracy); null without checks.",
});
const topRoutesSchema = z
  .object({
    top: z.array(z.object({ route: z.string(), requests: z.number().int() })),
    other: z.number().int().meta({ description: 'Requests to every route not in `top`.' }),
  })
  .meta({ id: 'TopRoutes', description: 'The top 20 routes (`METHOD /route`) by requests.' });
const topSourceIpsSchema = z
  .object({
    top: z.array(z.object({ sourceIp: z.string(), requests: z.number().int() })),
    other: z.number().int().meta({ description: 'Requests from every address not in `top`.' }),
  })
  .meta({ id: 'TopSourceIps', description: 'The top 20 source addresses by requests.' });
const refusalCounts = {
  ...totals.shape,
  refusals: z
    .record(z.string(), z.number().int())
    .meta({ description: 'Refused checks by refusal code (`REVOKED`, `INVALID_SECRET`, …).' }),
};

/** One day of one key: its checks, refusals by code, latency, top routes and addresses. */
export const keyUsageDaySchema = z
  .object({
    date: day,
    ...refusalCounts,
    latencyMs: latencySchema,
    routes: topRoutesSchema,
    sourceIps: topSourceIpsSchema,
  })
  .meta({ id: 'KeyUsageDay' });

/**
 * GET /v1/keys/{keyId}/usage (and the portal's): per UTC day (oldest first, days without traffic
 * as zeros) and over the window, checks allowed and refused, refusals by code, the latency's p50
 * and p99, and the top 20 routes and source addresses (the rest as `other`). The window's lists
 * add up the days' lists, so a name counts only on the days it was in that day's top 20.
 */
export const keyUsageSchema = z
  .object({
    keyId: z.string(),
    lastUsedAt: timestamp.nullable(),
    days: z.array(keyUsageDaySchema),
    total: z.object(refusalCounts),
    latencyMs: latencySchema,
    routes: topRoutesSchema,
    sourceIps: topSourceIpsSchema,
  })
  .meta({ id: 'KeyUsage' });

export const usageOverviewItemSchema = z
  .object({
    keyId: z.string(),
    name: z.string().meta({ description: "The key's name; its ID when the key has been deleted since." }),
    owner: z.string().nullable(),
    status: z.union([keyStatusSchema, z.literal('deleted')]),
    total: totals,
    days: z.array(usageDaySchema),
    lastUsedAt: timestamp.nullable(),
    expiresAt: timestamp
      .nullable()
      .meta({ description: 'When the key stops working, so a key a rotation replaced can say until when.' }),
    rotatedFrom: z.string().optional(),
    rotatedTo: z.string().optional(),
    unusual: z.boolean(),
    latest: z.number().meta({ description: "Requests (allowed + refused) on the window's latest day." }),
    baseline: z.number().nullable().meta({
      description: 'Median of the earlier days of the window; null for a key too young to have one.',
    }),
  })
  .meta({ id: 'UsageOverviewItem' });

/** GET /v1/usage: keys with traffic in the window, most active first. */
export const usageOverviewSchema = z
  .object({
    window: z.object({ days: z.number().int(), from: day, to: day }),
    total: totals.extend({ keys: z.number().int() }),
    series: z.array(usageDaySchema),
    thresholds: z.object({ factor: z.number(), minRequests: z.number(), minAgeDays: z.number() }),
    items: z.array(usageOverviewItemSchema),
    nextCursor: z.string().nullable(),
  })
  .meta({ id: 'UsageOverview' });
