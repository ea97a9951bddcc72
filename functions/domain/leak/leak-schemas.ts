import { z } from 'zod';
import { apiKeySchema } from '#domain/keys/key-answers.ts';
import type { Same } from '#domain/shared/answers.ts';
import { LEAK_ACTIONS, type LeakOutcome } from './leak-service.ts';

/** The most matches one report may carry; a larger one is a 400, not a long request. */
export const MAX_LEAK_MATCHES = 1000;

const bounded = (max: number) =>
  z
    .string()
    .max(max, `must be at most ${max} characters`)
    .refine((s) => s.isWellFormed(), 'must not contain unpaired surrogates');

/**
 * GitHub's secret scanning payload: a JSON array of `{ token, type, url, source }`. Fields GitHub
 * may add later are ignored rather than refused (GitHub, not an operator, writes this body).
 */
export const githubLeakReport = z
  .array(
    z.looseObject({
      token: bounded(1024).min(1, 'must not be empty'),
      type: bounded(256).default(''),
      url: bounded(4096).default(''),
      source: bounded(64).optional(),
    }),
  )
  .min(1, 'must hold at least one match')
  .max(MAX_LEAK_MATCHES, `must hold at most ${MAX_LEAK_MATCHES} matches`)
  .meta({ id: 'GitHubLeakReport' });
export type GitHubLeakReport = z.infer<typeof githubLeakReport>;

/** POST /v1/leaks: a secret an operator found, where, and what to do with its key. */
export const leakReportBody = z
  .strictObject({
    secret: z.string().min(1, 'must not be empty').max(1024, 'must be at most 1024 characters'),
    url: bounded(4096).optional().meta({ description: 'Where it was found.' }),
    action: z
      .enum(LEAK_ACTIONS)
      .optional()
      .meta({ description: "What to do with a live key: the service's setting unless given." }),
  })
  .meta({ id: 'LeakReport' });

/** POST /v1/leaks: what was found and done. Never the secret, nor any form of it. */
export const leakReportResultSchema = z
  .discriminatedUnion('label', [
    z.object({
      label: z.literal('false_positive'),
      code: z.enum(['MALFORMED', 'NOT_FOUND', 'INVALID_SECRET']).meta({
        description: 'Why it is not a live Latchkey secret: no such format, no such key, or not its secret.',
      }),
    }),
    z.object({
      label: z.literal('true_positive'),
      action: z.enum(LEAK_ACTIONS),
      changed: z
        .boolean()
        .meta({ description: 'False when the key was already revoked (or disabled): nothing changed.' }),
      key: apiKeySchema,
    }),
  ])
  .meta({ id: 'LeakReportResult' });
type WithoutHash<T> = T extends unknown ? Omit<T, 'tokenHash'> : never;
true satisfies Same<WithoutHash<LeakOutcome>, z.output<typeof leakReportResultSchema>>;

/** POST /v1/leaks/github: GitHub's feedback format, one entry per match: the token's SHA-256, never the token. */
export const githubFeedbackSchema = z
  .array(
    z.object({
      token_hash: z.string(),
      token_type: z.string(),
      label: z.enum(['true_positive', 'false_positive']),
    }),
  )
  .meta({ id: 'GitHubLeakFeedback' });
export type GitHubFeedback = z.output<typeof githubFeedbackSchema>;
