import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/**
 * The dashboard's built files, served as they are. The CLI speaks to the dashboard's code only
 * through files and a process: the build (web/build.ts) runs as a child and prints the folder,
 * and the folder's headers.json carries the headers every response of the page must have.
 */
const BUILD_SCRIPT = fileURLToPath(new URL('../../../web/build.ts', import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};
const ASSET = /^\/(assets\/)?[A-Za-z0-9][A-Za-z0-9._-]*$/;

export interface StaticFile {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}

export interface StaticSite {
  /** The answer to a GET of `path`: a file of the site, or index.html for a page of the app. */
  get(path: string): Promise<StaticFile>;
}

/** Builds the dashboard if it is missing or stale (a child process), and serves the result. */
export async function dashboardSite(): Promise<StaticSite> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', BUILD_SCRIPT], {
    maxBuffer: 1_048_576,
  });
  return staticSite(stdout.trim());
}

export async function staticSite(dir: string): Promise<StaticSite> {
  const security = JSON.parse(await readFile(join(dir, 'headers.json'), 'utf8')) as Record<string, string>;
  const answer = (status: number, headers: Record<string, string>, body: Buffer): StaticFile => ({
    status,
    headers: { ...security, 'content-length': String(body.length), ...headers },
    body,
  });
  return {
    async get(path) {
      if (ASSET.test(path) && extname(path) !== '' && path !== '/headers.json') {
        const body = await readFile(join(dir, path)).catch(() => undefined);
        if (body) {
          return answer(
            200,
            {
              'content-type': TYPES[extname(path)] ?? 'application/octet-stream',
              'cache-control': path.startsWith('/assets/')
                ? 'public, max-age=31536000, immutable'
                : 'no-cache',
            },
            body,
          );
        }
        if (path.startsWith('/assets/'))
          return answer(404, { 'content-type': 'text/plain; charset=utf-8' }, Buffer.from('not found'));
      }
      const index = await readFile(join(dir, 'index.html'));
      return answer(200, { 'content-type': TYPES['.html'] as string, 'cache-control': 'no-cache' }, index);
    },
  };
}
