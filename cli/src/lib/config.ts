import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { regionFromHost } from '#client/client.ts';
import { UsageError } from './errors.ts';

/** The options every command takes. */
export interface GlobalOptions {
  readonly endpoint?: string;
  readonly region?: string;
  readonly profile?: string;
  readonly json?: boolean;
  readonly color?: boolean;
}

export type Env = Readonly<Record<string, string | undefined>>;

export const DEFAULT_LOCAL_URL = 'http://127.0.0.1:8787';

/** The local server, with its admin token (read only when a request needs it). */
export interface LocalTarget {
  readonly mode: 'local';
  readonly baseUrl: string;
  /** Where the admin token comes from, for messages: the variable or the file's path. */
  readonly tokenSource: string;
  token(): Promise<string>;
  /**
   * With no LATCHKEY_URL, where else the server may be: the URL the data folder's server
   * recorded when it started (`npm start` on another PORT), and the file that says so.
   */
  recorded?(): Promise<{ url: string; file: string } | undefined>;
}

/** A deployed management API: its stage URL, signed with SigV4. */
export interface AwsTarget {
  readonly mode: 'aws';
  readonly baseUrl: string;
  readonly region: string;
  readonly regionSource: string;
  readonly profile?: string;
}

export type Target = LocalTarget | AwsTarget;

function baseUrlOf(value: string, from: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`${from} must be a URL, got "${value}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`${from} must be an http or https URL, got "${value}"`);
  }
  if (url.search || url.hash) throw new UsageError(`${from} must not have a query or fragment`);
  return url.toString().replace(/\/+$/, '');
}

/** The file in the data folder where a running local server (local/server.ts) keeps its URL. */
const SERVER_URL_FILE = 'server-url';

async function recordedUrl(file: string): Promise<{ url: string; file: string } | undefined> {
  let text: string;
  try {
    text = (await readFile(file, 'utf8')).trim();
  } catch {
    return undefined;
  }
  try {
    return { url: baseUrlOf(text, file), file };
  } catch {
    return undefined;
  }
}

/**
 * Where the CLI points: `--endpoint` or LATCHKEY_ENDPOINT (a deployed API, SigV4), else the local
 * server at LATCHKEY_URL or http://127.0.0.1:8787 with the admin token from LATCHKEY_ADMIN_TOKEN
 * or the data folder's `admin-token` file.
 */
export async function resolveTarget(options: GlobalOptions, env: Env, cwd: string): Promise<Target> {
  const endpoint = options.endpoint ?? env.LATCHKEY_ENDPOINT;
  if (endpoint) {
    const from = options.endpoint ? '--endpoint' : 'LATCHKEY_ENDPOINT';
    const baseUrl = baseUrlOf(endpoint, from);
    const candidates: [string | undefined, string][] = [
      [options.region, '--region'],
      [env.AWS_REGION, 'AWS_REGION'],
      [env.AWS_DEFAULT_REGION, 'AWS_DEFAULT_REGION'],
      [regionFromHost(new URL(baseUrl).host), 'the endpoint host'],
    ];
    const found = candidates.find(([value]) => value);
    if (!found?.[0]) {
      throw new UsageError(`no AWS region for ${baseUrl}`, [
        'pass --region, or set AWS_REGION (only <id>.execute-api.<region>.amazonaws.com hosts carry one)',
      ]);
    }
    return {
      mode: 'aws',
      baseUrl,
      region: found[0],
      regionSource: found[1],
      profile: options.profile ?? env.AWS_PROFILE,
    };
  }
  const baseUrl = baseUrlOf(env.LATCHKEY_URL || DEFAULT_LOCAL_URL, 'LATCHKEY_URL');
  const fromEnv = env.LATCHKEY_ADMIN_TOKEN;
  const dataDir = resolve(cwd, env.LATCHKEY_DATA_DIR || '.latchkey');
  const file = join(dataDir, 'admin-token');
  return {
    mode: 'local',
    baseUrl,
    tokenSource: fromEnv ? 'LATCHKEY_ADMIN_TOKEN' : file,
    ...(env.LATCHKEY_URL ? {} : { recorded: () => recordedUrl(join(dataDir, SERVER_URL_FILE)) }),
    async token() {
      if (fromEnv) return fromEnv;
      try {
        return (await readFile(file, 'utf8')).trim();
      } catch {
        throw new UsageError(`no admin token: ${file} cannot be read and LATCHKEY_ADMIN_TOKEN is not set`, [
          'run the CLI from the folder `npm start` runs in, or set LATCHKEY_DATA_DIR or LATCHKEY_ADMIN_TOKEN',
        ]);
      }
    },
  };
}
