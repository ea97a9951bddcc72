import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { DIST_DIR, HEADERS_FILE, STAMP, WEB_DIR } from './dist-layout.ts';
import { PORTAL_SECURITY_HEADERS, SECURITY_HEADERS } from './security-headers.ts';
import { isPortalPage, PORTAL_SERVER_PATHS } from './src/lib/portal-paths.ts';

export { DIST_DIR } from './dist-layout.ts';

/**
 * Serves the dashboard's built assets (web/dist), building them first when they are missing or
 * older than the sources. Used by the local server (`npm start`) and by `latchkey dashboard`.
 */

const SOURCES = ['index.html', 'vite.config.ts', 'src', 'public'];

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

async function listFiles(dir: string): Promise<string[]> {
  if (!existsSync(dir)) return [];
  const info = await stat(dir);
  if (!info.isDirectory()) return [dir];
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(path)));
    else out.push(path);
  }
  return out;
}

/** A fingerprint of every source file (path, size, modification time): any edit, addition or removal changes it. */
async function sourcesFingerprint(): Promise<string> {
  const hash = createHash('sha256');
  const files = (await Promise.all(SOURCES.map((s) => listFiles(join(WEB_DIR, s))))).flat().sort();
  for (const file of files) {
    const info = await stat(file);
    hash.update(`${file.slice(WEB_DIR.length)}\0${info.size}\0${info.mtimeMs}\n`);
  }
  return hash.digest('hex');
}

let building: Promise<boolean> | undefined;

/**
 * Builds web/dist with Vite unless it is up to date with the sources. Builds into a temporary
 * folder and moves it into place, so a server never serves half a build. Resolves true if it built.
 */
export function ensureDashboardBuilt(): Promise<boolean> {
  building ??= (async () => {
    const fingerprint = await sourcesFingerprint();
    const current = await readFile(join(DIST_DIR, STAMP), 'utf8').catch(() => undefined);
    if (current === fingerprint && existsSync(join(DIST_DIR, 'index.html'))) return false;
    const { build } = await import('vite');
    const outDir = join(WEB_DIR, `.dist-${process.pid}`);
    await rm(outDir, { recursive: true, force: true });
    // A production build even under NODE_ENV=test (vitest) or development: Vite and the React
    // plugin read NODE_ENV itself, so it is set for the build and put back after.
    const nodeEnv = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      await build({
        configFile: join(WEB_DIR, 'vite.config.ts'),
        root: WEB_DIR,
        mode: 'production',
        logLevel: 'error',
        build: { outDir, emptyOutDir: true },
      });
      await writeFile(join(outDir, HEADERS_FILE), JSON.stringify(SECURITY_HEADERS, null, 2));
      await writeFile(join(outDir, STAMP), fingerprint);
      await rm(DIST_DIR, { recursive: true, force: true });
      await rename(outDir, DIST_DIR);
    } catch (cause) {
      await rm(outDir, { recursive: true, force: true });
      // Another process (a parallel `npm start`) may have put the same build in place first.
      const theirs = await readFile(join(DIST_DIR, STAMP), 'utf8').catch(() => undefined);
      if (theirs !== fingerprint) throw cause;
    } finally {
      if (nodeEnv === undefined) delete process.env.NODE_ENV;
      else process.env.NODE_ENV = nodeEnv;
    }
    return true;
  })().finally(() => {
    building = undefined;
  });
  return building;
}

/**
 * For `npm start`: build if needed, silently (the banner stays what scripts parse), and keep the
 * API running, with one line on stderr, if the build cannot run.
 */
export async function prepareDashboard(): Promise<void> {
  try {
    await ensureDashboardBuilt();
  } catch (cause) {
    console.error(`latchkey: the dashboard could not be built (${String(cause)}); the API still runs`);
  }
}

export interface DashboardResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
  isBase64Encoded: true;
}

/** Paths the server answers itself: the APIs, the demo route, the portal's landing. */
const NOT_PAGES = ['/v1', '/demo', '/healthz', ...PORTAL_SERVER_PATHS];
const notPage = (path: string) => NOT_PAGES.some((p) => path === p || path.startsWith(`${p}/`));
const ASSET = /^\/(assets\/)?[A-Za-z0-9][A-Za-z0-9._-]*$/;

function respond(
  statusCode: number,
  headers: Record<string, string>,
  body: Buffer,
  head: boolean,
  security = SECURITY_HEADERS,
) {
  return {
    statusCode,
    headers: { ...security, 'content-length': String(body.length), ...headers },
    body: head ? '' : body.toString('base64'),
    isBase64Encoded: true as const,
  };
}

/**
 * The dashboard's answer to a GET or HEAD of `path`, or undefined when the path is not the
 * dashboard's (`/v1`, `/demo`, `/healthz`, the portal's API and landing) or the method is not a
 * read. Files in web/dist are served as they are; every other path is a page of the app and gets
 * index.html, under the portal's CSP at `/portal` and below (the app's portal mode).
 */
export async function dashboardResponse(
  method: string,
  path: string,
): Promise<DashboardResponse | undefined> {
  if ((method !== 'GET' && method !== 'HEAD') || notPage(path)) return undefined;
  const head = method === 'HEAD';
  if (ASSET.test(path) && extname(path) !== '') {
    const body = await readFile(join(DIST_DIR, path)).catch(() => undefined);
    if (body) {
      const immutable = path.startsWith('/assets/');
      return respond(
        200,
        {
          'content-type': TYPES[extname(path)] ?? 'application/octet-stream',
          'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
        },
        body,
        head,
      );
    }
    if (path.startsWith('/assets/'))
      return respond(404, { 'content-type': 'text/plain; charset=utf-8' }, Buffer.from('not found'), head);
  }
  const index = await readFile(join(DIST_DIR, 'index.html')).catch(() => undefined);
  if (!index) {
    // Not built (the build failed or never ran, e.g. a server started in-process): nothing to serve.
    return respond(
      404,
      { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' },
      Buffer.from('The dashboard is not built: npm start builds it (see its log if it could not).'),
      head,
    );
  }
  const security = isPortalPage(path) ? PORTAL_SECURITY_HEADERS : SECURITY_HEADERS;
  return respond(
    200,
    { 'content-type': TYPES['.html'] as string, 'cache-control': 'no-cache' },
    index,
    head,
    security,
  );
}
