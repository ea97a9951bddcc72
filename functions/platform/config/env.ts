import { type TableId, tableEnvVar } from '#store/tables.ts';

/** Configuration comes from the environment, read once at init; a missing value fails fast. */
export function requireEnv(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`configuration: ${name} is not set`);
  return value;
}

export function intEnv(name: string, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`configuration: ${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

export const tableName = (id: TableId) => requireEnv(tableEnvVar(id));
