import { z } from 'zod';

/**
 * What every answer is made of: times, pages, and the compile-time check that keeps an answer's
 * schema and the domain type it describes the same. The answers' schemas (beside their types in
 * each feature) are what the OpenAPI document is generated from (functions/contract/).
 */

/** An ISO 8601 date-time, as answers write times (UTC from the service; an expiry keeps the offset it was given). */
export const timestamp = z.iso.datetime({ offset: true }).meta({ id: 'Timestamp' });

/** A UTC day, `YYYY-MM-DD`. */
export const day = z.iso.date();

/** What every page holds: its items, and the cursor of the next page. */
export const pageFields = <T extends z.ZodType>(item: T) => ({
  items: z.array(item),
  nextCursor: z
    .string()
    .nullable()
    .meta({ description: 'Pass as `cursor` for the next page; null on the last page.' }),
});

/**
 * One page of a list, newest or most relevant first: its items, the cursor of the next page, and
 * whether a read budget cut it short.
 */
export const pageOf = <T extends z.ZodType>(item: T, id: string, what: string) =>
  z
    .object({
      ...pageFields(item),
      truncated: z.boolean().optional().meta({
        description: "The request's read budget ran out before the page was full; `nextCursor` carries on.",
      }),
    })
    .meta({ id, description: `One page of ${what}.` });

/** `T` with every `readonly` removed, at every depth: readonly-ness is not part of an answer's shape. */
type Writable<T> = T extends (...args: never[]) => unknown
  ? T
  : T extends readonly (infer U)[]
    ? Writable<U>[]
    : T extends object
      ? { -readonly [K in keyof T]: Writable<T[K]> }
      : T;

/**
 * True when `A` and `B` are the same type, readonly aside: the same fields, each optional or
 * required alike, of the same types. `true satisfies Same<DomainType, z.output<typeof schema>>`
 * fails to compile once a schema and its type drift (a field one has and the other lacks included).
 */
export type Same<A, B> =
  (<T>() => T extends Writable<A> ? 1 : 2) extends <T>() => T extends Writable<B> ? 1 : 2 ? true : false;

/** GET /v1/whoami: the caller as the management API sees it, and where it runs. */
export const whoAmISchema = z
  .object({
    actor: z
      .string()
      .meta({ description: 'The actor written to the audit trail: an IAM ARN, or `local-admin`.' }),
    mode: z.enum(['local', 'aws']),
  })
  .meta({ id: 'WhoAmI' });

/** GET /healthz: whether the service can read its keys table. */
export const healthSchema = z
  .object({
    status: z.enum(['ok', 'unavailable']),
    database: z.enum(['ok', 'unreachable']),
  })
  .meta({ id: 'Health' });
