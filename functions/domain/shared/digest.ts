import { timingSafeEqual } from 'node:crypto';

/** Two digests in one `encoding`, compared in constant time; an empty or missing one never matches. */
export function sameDigest(a: string | undefined, b: string, encoding: 'hex' | 'base64url'): boolean {
  const x = Buffer.from(a ?? '', encoding);
  const y = Buffer.from(b, encoding);
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
}
