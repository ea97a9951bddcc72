import {
  type APIGatewayClient,
  GetApiKeysCommand,
  GetUsagePlanKeysCommand,
  GetUsagePlansCommand,
} from '@aws-sdk/client-api-gateway';

/** One key to send to POST /v1/keys/import (the API's item shape). */
export interface ImportItem {
  secret: string;
  name?: string;
  owner?: string;
  description?: string;
  roles?: string[];
  permissions?: string[];
  expiresAt?: string | null;
  environment?: string;
  type?: string;
  scope?: { workspaceId: string };
  metadata?: Record<string, string>;
}

/** Splits CSV text into rows (RFC 4180: quoted fields, doubled quotes, CRLF or LF). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      if (row.some((f) => f !== '')) rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  row.push(field);
  if (row.some((f) => f !== '')) rows.push(row);
  return rows;
}

const LIST_COLUMNS = new Set(['roles', 'permissions']);
const TEXT_COLUMNS = new Set(['name', 'owner', 'description', 'expiresAt', 'environment', 'type']);
export const CSV_COLUMNS = ['secret', ...TEXT_COLUMNS, ...LIST_COLUMNS, 'workspace'];

/**
 * The keys of a CSV file: a header row naming its columns (`secret` required; `name`, `owner`,
 * `description`, `roles` and `permissions` (`;`-separated), `expiresAt`, `environment`, `type`,
 * `workspace`), one key per row. Empty cells are left out. A bad header is an error naming the
 * column; the secret itself is never part of an error.
 */
export function keysFromCsv(text: string): ImportItem[] {
  const [header, ...rows] = parseCsv(text.replace(/^\uFEFF/, ''));
  if (!header) throw new Error('the file is empty: it needs a header row (secret,name,owner,…)');
  const columns = header.map((h) => h.trim());
  const unknown = columns.filter((c) => !CSV_COLUMNS.includes(c));
  if (unknown.length)
    throw new Error(`unknown column(s): ${unknown.join(', ')} (known: ${CSV_COLUMNS.join(', ')})`);
  if (!columns.includes('secret')) throw new Error('the header has no "secret" column');
  return rows.map((cells, line) => {
    if (cells.length !== columns.length)
      throw new Error(`row ${line + 2} has ${cells.length} cells, the header ${columns.length}`);
    const item: Record<string, unknown> = {};
    columns.forEach((column, i) => {
      const value = (cells[i] ?? '').trim();
      if (value === '') return;
      if (column === 'secret') item.secret = value;
      else if (LIST_COLUMNS.has(column))
        item[column] = value
          .split(';')
          .map((v) => v.trim())
          .filter(Boolean);
      else if (column === 'workspace') item.scope = { workspaceId: value };
      else if (column === 'expiresAt') item.expiresAt = value === 'never' ? null : value;
      else item[column] = value;
    });
    if (!item.secret) throw new Error(`row ${line + 2} has no secret`);
    return item as unknown as ImportItem;
  });
}

/**
 * Batches for POST /v1/keys/import: at most 100 keys, and small enough for the API's body limit
 * (LATCHKEY_MAX_BODY_BYTES, 16 KB by default).
 */
export function batches(items: readonly ImportItem[], maxKeys = 100, maxBytes = 15_000): ImportItem[][] {
  const out: ImportItem[][] = [];
  let current: ImportItem[] = [];
  let bytes = 12;
  for (const item of items) {
    const size = Buffer.byteLength(JSON.stringify(item)) + 1;
    if (current.length && (current.length === maxKeys || bytes + size > maxBytes)) {
      out.push(current);
      current = [];
      bytes = 12;
    }
    current.push(item);
    bytes += size;
  }
  if (current.length) out.push(current);
  return out;
}

export interface GatewayKeys {
  readonly items: ImportItem[];
  /** API Gateway keys attached to the API but disabled there: not imported. */
  readonly skippedDisabled: string[];
  /** API keys Latchkey's own usage plans made (shared plan keys, perKey keys): usage meters, never credentials. */
  readonly skippedLatchkey: string[];
}

/** How the construct and the management functions describe the API keys they make. */
const isLatchkeysOwn = (description: string | undefined) =>
  description !== undefined &&
  (description.startsWith('Latchkey: every key on plan') || description.includes('managed by Latchkey'));

/**
 * The API keys of one REST API, with their values: the keys attached to the usage plans that
 * include one of the API's stages (GetUsagePlans, then GetUsagePlanKeys), read with
 * GetApiKeys(includeValues), every page. A key of the account that no plan of this API names is
 * not this API's key (API Gateway checks a key only through a usage plan), so it is left out.
 */
export async function keysFromApiGateway(client: APIGatewayClient, restApiId: string): Promise<GatewayKeys> {
  const planIds: string[] = [];
  let position: string | undefined;
  do {
    const page = await client.send(new GetUsagePlansCommand({ position, limit: 500 }));
    for (const plan of page.items ?? [])
      if (plan.id && plan.apiStages?.some((stage) => stage.apiId === restApiId)) planIds.push(plan.id);
    position = page.position;
  } while (position);

  const keyIds = new Set<string>();
  for (const usagePlanId of planIds) {
    let at: string | undefined;
    do {
      const page = await client.send(new GetUsagePlanKeysCommand({ usagePlanId, position: at, limit: 500 }));
      for (const key of page.items ?? []) if (key.id && key.type === 'API_KEY') keyIds.add(key.id);
      at = page.position;
    } while (at);
  }

  const items: ImportItem[] = [];
  const skippedDisabled: string[] = [];
  const skippedLatchkey: string[] = [];
  let at: string | undefined;
  do {
    const page = await client.send(new GetApiKeysCommand({ includeValues: true, position: at, limit: 500 }));
    for (const key of page.items ?? []) {
      if (!key.id || !keyIds.has(key.id) || !key.value) continue;
      if (isLatchkeysOwn(key.description)) {
        skippedLatchkey.push(key.id);
        continue;
      }
      if (key.enabled === false) {
        skippedDisabled.push(key.id);
        continue;
      }
      items.push({
        secret: key.value,
        ...(key.name ? { name: key.name.slice(0, 128) } : {}),
        ...(key.description ? { description: key.description.slice(0, 1024) } : {}),
        metadata: { apiGatewayKeyId: key.id, restApiId },
      });
    }
    at = page.position;
  } while (at);
  return { items, skippedDisabled, skippedLatchkey };
}
