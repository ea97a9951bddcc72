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

/** GET /v1/keys/{keyId}/usage: every day of the window, oldest first, days without traffic as zeros. */
export const keyUsageSchema = z
  .object({
    keyId: z.string(),
    lastUsedAt: timestamp.nullable(),
    days: z.array(usageDaySchema),
    total: totals,
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
