import { z } from 'zod';
import { apiKeySchema } from '#domain/keys/key-answers.ts';
import { REFUSALS } from './verify.ts';

/**
 * POST /v1/verify: the authorizer's decision for callers that are not API Gateway. Kept apart
 * from verify.ts, which the authorizer bundles.
 */
export const verifyAnswerSchema = z
  .object({
    valid: z.boolean(),
    code: z.enum(['VALID', ...REFUSALS]).meta({
      description: 'VALID, or why the key is refused (the same codes as the authorizer).',
    }),
    key: apiKeySchema.optional(),
    permissions: z
      .array(z.string())
      .optional()
      .meta({ description: "What the key's roles and permissions grant, once its secret is proven." }),
  })
  .meta({
    id: 'VerifyResult',
    description: 'The key is shown only once the secret is proven: never for NOT_FOUND or INVALID_SECRET.',
  });
