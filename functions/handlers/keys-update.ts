import { ApiError } from '#domain/errors.ts';
import { keyPath, updateKeyBody } from '#domain/schemas.ts';
import { keyService } from '#platform/deps.ts';
import { httpRoute } from '#platform/http.ts';

const keys = keyService();

/** `If-Match: "3"`, `W/"3"` or `3`; absent means last writer wins. */
export function parseIfMatch(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  const match = /^\s*(?:W\/)?"?(\d{1,15})"?\s*$/.exec(header);
  if (!match?.[1]) {
    throw new ApiError('VALIDATION_FAILED', 'If-Match must be the key version, e.g. "3"', [
      { field: 'If-Match', message: 'must be the key version, e.g. "3"' },
    ]);
  }
  return Number(match[1]);
}

/** PATCH /v1/keys/{keyId} */
export const handler = httpRoute(
  { path: keyPath, body: updateKeyBody },
  async ({ path, body, headers, ctx }) => {
    const key = await keys.update(path.keyId, body, parseIfMatch(headers['if-match']), ctx);
    return { status: 200, body: key, headers: { etag: `"${key.version}"` } };
  },
);
