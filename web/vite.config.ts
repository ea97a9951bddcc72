import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { PORTAL_SERVER_PATHS } from './src/lib/portal-paths.ts';

/**
 * The dashboard's build. `web/serve.ts` runs it programmatically when `web/dist` is missing or
 * stale, so `npm start` needs no separate step. No inline scripts or styles: the pages are served
 * under a strict Content-Security-Policy.
 */
export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
    target: 'es2022',
  },
  // The APIs are npm start's. For the portal, start it with LATCHKEY_PORTAL_URL=http://127.0.0.1:5173,
  // so its links and its Origin check are this server's.
  server: {
    host: '127.0.0.1',
    proxy: Object.fromEntries(
      ['/v1', ...PORTAL_SERVER_PATHS].map((path) => [
        path,
        { target: 'http://127.0.0.1:8787', changeOrigin: true },
      ]),
    ),
  },
});
