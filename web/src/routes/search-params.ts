import type { KeyStatus } from '@latchkey/client/types';

/** Checks for the search params the pages read: a value that fails is dropped, never sent to the API. */
export const KEY_STATUSES = [
  'active',
  'inactive',
  'revoked',
  'expired',
] as const satisfies readonly KeyStatus[];
export type KeyStatusFilter = (typeof KEY_STATUSES)[number];

/** A trimmed, non-empty text of at most `max` characters. */
export function textParam(value: string | null, max: number): string | undefined {
  const trimmed = value?.trim();
  return trimmed && trimmed.length <= max ? trimmed : undefined;
}

export const statusParam = (value: string | null): KeyStatusFilter | undefined =>
  KEY_STATUSES.find((s) => s === value);

/** `/keys/<keyId>` (from the app's mount): the key's page. */
export const keyIdOfPath = (pathname: string): string | undefined =>
  /^\/keys\/(key_[A-Za-z0-9]{1,64})\/?$/.exec(pathname)?.[1];
