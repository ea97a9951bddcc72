import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigurationError, readSettings, SETTINGS } from '../../functions/config/settings.ts';
import { settingsTable } from '../../functions/config/settings-docs.ts';
import { TABLES, type TableId, tableEnvVar } from '../../functions/store/tables.ts';
import { BUNDLE } from '../../infra/bundling.ts';

/**
 * One configuration module (functions/config/settings.ts): every setting the code names is in its
 * schema, nothing else reads the environment, and the settings tables of docs/local-server.md are made from it.
 */
const root = fileURLToPath(new URL('../..', import.meta.url));
const READERS = ['functions', 'local', 'infra'];

function files(dir: string): string[] {
  return readdirSync(join(root, dir)).flatMap((name) => {
    const path = `${dir}/${name}`;
    if (statSync(join(root, path)).isDirectory()) return files(path);
    return /\.tsx?$/.test(name) ? [path] : [];
  });
}
const sources = READERS.flatMap(files).map((path) => ({
  path,
  text: readFileSync(join(root, path), 'utf8'),
}));

/** Where the environment may be touched other than through the settings module, and why. */
const ALLOWED_ENV = [
  // Build-time constants: esbuild replaces each with its value in every AWS bundle (infra/bundling.ts).
  ...Object.keys(BUNDLE.define).flatMap((expression) => [
    { path: 'functions/platform/wiring/authorizer.ts', expression },
    { path: 'functions/platform/wiring/check.ts', expression },
    { path: 'infra/bundling.ts', expression },
  ]),
  // The engine inherits the server's environment (PATH, JAVA_HOME), plus its telemetry switch.
  { path: 'local/dynamodb-local.ts', expression: 'process.env,' },
  // CDK's own convention for the target account and Region of `cdk synth` and `cdk deploy`.
  { path: 'infra/app.ts', expression: 'process.env.CDK_DEFAULT_ACCOUNT' },
  { path: 'infra/app.ts', expression: 'process.env.CDK_DEFAULT_REGION' },
];

describe('the settings', () => {
  it('are read from the environment only by the settings module', () => {
    const readers = sources.flatMap(({ path, text }) =>
      path === 'functions/config/settings.ts'
        ? []
        : [...text.matchAll(/process\.env(\.[A-Z_]+|\[[^\]]*\]|,)?/g)]
            .map((m) => m[0])
            .filter((expression) => !ALLOWED_ENV.some((a) => a.path === path && a.expression === expression))
            .map((expression) => `${path}: ${expression}`),
    );
    expect(readers).toEqual([]);
  });

  it('name every variable the code mentions', () => {
    const named = new Set(
      sources.flatMap(({ text }) =>
        [...text.matchAll(/\b(LATCHKEY_[A-Z0-9_]+|POWERTOOLS_[A-Z_]+)\b/g)].map((m) => m[1]),
      ),
    );
    // A regular expression's name, not a setting.
    named.delete('LATCHKEY_PREFIX');
    const unknown = [...named].filter((name) => !Object.hasOwn(SETTINGS, name as string));
    expect(unknown).toEqual([]);
  });

  it('hold every table, by the name the construct and the local server give it', () => {
    for (const id of Object.keys(TABLES) as TableId[])
      expect(Object.hasOwn(SETTINGS, tableEnvVar(id))).toBe(true);
  });

  it('have their defaults, typed', () => {
    const config = readSettings({});
    expect(config.PORT).toBe(8787);
    expect(config.LATCHKEY_AUDIT_RETENTION_DAYS).toBe(400);
    expect(config.LATCHKEY_LEAK_ACTION).toBe('revoke');
    expect(config.LATCHKEY_KEYS_TABLE).toBeUndefined();
    expect(readSettings({ PORT: '9000', LATCHKEY_KEY_CACHE_SECONDS: '5' })).toMatchObject({
      PORT: 9000,
      LATCHKEY_KEY_CACHE_SECONDS: 5,
    });
  });

  it('refuse a bad start with one error naming each bad variable and what it holds', () => {
    let error: unknown;
    try {
      readSettings({
        PORT: 'eighty',
        LATCHKEY_KEY_CACHE_SECONDS: '11',
        LATCHKEY_LEAK_ACTION: 'shred',
        LATCHKEY_PORTAL_URL: 'ftp://portal',
        LATCHKEY_UNUSED_DAYS: '1.5',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as ConfigurationError).problems).toEqual([
      'PORT must be a number, got "eighty"',
      'LATCHKEY_PORTAL_URL must be an http(s) URL, got "ftp://portal"',
      'LATCHKEY_UNUSED_DAYS must be a whole number, got "1.5"',
      'LATCHKEY_KEY_CACHE_SECONDS must be at most 10, got "11"',
      'LATCHKEY_LEAK_ACTION must be one of revoke, disable, got "shred"',
    ]);
    expect((error as Error).message).toMatch(/^configuration: PORT must be a number/);
  });

  it('are the settings tables of docs/local-server.md, made from the schema', () => {
    const page = readFileSync(join(root, 'docs', 'local-server.md'), 'utf8');
    expect(page).toContain(settingsTable(['you']));
    expect(page).toContain(settingsTable(['construct', 'local server']));
  });
});
