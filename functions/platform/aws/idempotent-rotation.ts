import {
  IdempotencyAlreadyInProgressError,
  IdempotencyConfig,
  IdempotencyValidationError,
  makeIdempotent,
} from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { Context } from 'aws-lambda';
import { tableName } from '#config/settings.ts';
import { ApiError } from '#domain/shared/errors.ts';
import type { RequestContext } from '#domain/shared/request-context.ts';
import type { HttpResult } from '#platform/http/http-route.ts';
import { keyService } from '#platform/wiring/management.ts';
import { dynamoClient } from './clients.ts';

const keys = keyService();

interface RotateRequest {
  readonly idempotencyKey: string;
  readonly keyId: string;
  readonly gracePeriodSeconds: number;
  /** Who asks; not part of the idempotency key or its payload check. */
  readonly ctx: RequestContext;
}

/**
 * Built once per instance. Each invocation registers its Lambda context, so an attempt's
 * in-progress record expires with that attempt's remaining time: a retry after a crash is
 * answered (a replay, or 409 ALREADY_ROTATED) once the crashed attempt's timeout has passed,
 * instead of "in progress" until the 24-hour record expires.
 */
const idempotency = new IdempotencyConfig({
  eventKeyJmesPath: 'idempotencyKey',
  payloadValidationJmesPath: '[keyId, gracePeriodSeconds]',
  expiresAfterSeconds: 86_400,
});

/**
 * Rotation made idempotent with Powertools (records in the idempotency table, 24 hours). What is
 * stored is the answer without the secret, which is never stored anywhere: the first response
 * carries it; a retry with the same Idempotency-Key gets the same keys and `secret: null`.
 */
const rotateOnce = makeIdempotent(
  async (request: RotateRequest, secretOut: { secret?: string }) => {
    const { key, secret, previous } = await keys.rotate(
      request.keyId,
      request.gracePeriodSeconds,
      request.ctx,
    );
    secretOut.secret = secret;
    // Stored as plain JSON (absent fields dropped), and without the secret.
    return JSON.parse(JSON.stringify({ key, previous })) as { key: typeof key; previous: typeof previous };
  },
  {
    persistenceStore: new DynamoDBPersistenceLayer({
      tableName: tableName('idempotency'),
      awsSdkV3Client: dynamoClient(),
    }),
    config: idempotency,
    keyPrefix: 'latchkey-rotate',
    dataIndexArgument: 0,
  },
);

const conflict = (code: string, message: string, headers: Record<string, string> = {}): HttpResult => ({
  status: 409,
  body: { error: { code, message } },
  headers,
});

/**
 * Rotate under an Idempotency-Key: the first answer carries the secret (201); a retry gets the
 * same keys with `secret: null` (200, `Idempotent-Replayed`); a twin still in progress gets 409
 * with Retry-After; a retry after a crash that had rotated gets 409 ALREADY_ROTATED naming the
 * successor. `context` bounds an in-progress record by this attempt's remaining time.
 */
export async function rotateIdempotently(
  path: { keyId: string },
  body: { gracePeriodSeconds: number },
  idempotencyKey: string,
  ctx: RequestContext,
  context: Context,
): Promise<HttpResult> {
  if (!/^[\x21-\x7e]{1,128}$/.test(idempotencyKey)) {
    throw new ApiError('VALIDATION_FAILED', 'Idempotency-Key must be 1 to 128 printable characters', [
      { field: 'Idempotency-Key', message: 'must be 1 to 128 printable characters' },
    ]);
  }
  idempotency.registerLambdaContext(context);
  const out: { secret?: string } = {};
  try {
    const result = await rotateOnce(
      { idempotencyKey, keyId: path.keyId, gracePeriodSeconds: body.gracePeriodSeconds, ctx },
      out,
    );
    const replayed = out.secret === undefined;
    return {
      status: replayed ? 200 : 201,
      body: { ...result, secret: out.secret ?? null, ...(replayed ? { replayed: true } : {}) },
      headers: {
        location: `/v1/keys/${result.key.keyId}`,
        ...(replayed ? { 'idempotent-replayed': 'true' } : {}),
      },
    };
  } catch (error) {
    if (error instanceof IdempotencyValidationError) {
      throw new ApiError(
        'IDEMPOTENCY_KEY_REUSED',
        'this Idempotency-Key was already used for a different rotation',
      );
    }
    if (error instanceof IdempotencyAlreadyInProgressError) {
      return conflict(
        'ROTATION_IN_PROGRESS',
        'a rotation with this Idempotency-Key is in progress; retry with the same key to get its answer',
        { 'retry-after': '1' },
      );
    }
    const cause = (error as { cause?: unknown }).cause;
    const refused = error instanceof ApiError ? error : cause instanceof ApiError ? cause : undefined;
    if (refused?.code === 'CONFLICT' || refused?.code === 'KEY_REVOKED') {
      // Rotated already: by another request, or by an earlier attempt that crashed before its answer was saved.
      const successor = (await keys.get(path.keyId)).rotatedTo;
      if (successor) {
        return conflict(
          'ALREADY_ROTATED',
          `key ${path.keyId} was already rotated to ${successor}; if an earlier attempt of this request did it, its answer was lost: the secret of ${successor} is never stored and cannot be shown again (rotate ${successor} for a new one)`,
        );
      }
    }
    throw refused ?? error;
  }
}
