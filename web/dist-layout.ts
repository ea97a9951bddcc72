import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where the dashboard's build goes and what it writes beside the app. Nothing else is imported
 * here, so the construct (bundled into `@latchkey/cdk`) and the package build read the layout
 * without loading serve.ts, which loads Vite.
 */

export const WEB_DIR = fileURLToPath(new URL('.', import.meta.url));
export const DIST_DIR = join(WEB_DIR, 'dist');
/** The fingerprint of the sources the build was made from. */
export const STAMP = '.sources';
/** The built site's response headers, for hosts that serve web/dist without serve.ts (the CLI's proxy). */
export const HEADERS_FILE = 'headers.json';
/** What the build writes beside the app that is not the app: no host serves them. */
export const BUILD_ONLY_FILES = [STAMP, HEADERS_FILE] as const;
