import { z } from 'zod';
import { LEAK_ACTIONS } from './leak-service.ts';

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
  .max(MAX_LEAK_MATCHES, `must hold at most ${MAX_LEAK_MATCHES} matches`);
export type GitHubLeakReport = z.infer<typeof githubLeakReport>;

/** POST /v1/leaks: a secret an operator found, where, and what to do with its key. */
export const leakReportBody = z.strictObject({
  secret: z.string().min(1, 'must not be empty').max(1024, 'must be at most 1024 characters'),
  url: bounded(4096).optional(),
  action: z.enum(LEAK_ACTIONS).optional(),
});
