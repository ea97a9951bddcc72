import type { ReactNode } from 'react';
import { PortalKeyPage } from '../features/portal/key-page.tsx';
import { PortalKeysPage } from '../features/portal/keys-page.tsx';
import type { Location } from '../lib/router.tsx';
import { keyIdOfPath, parseListSearch } from './search-params.ts';

/**
 * The portal's pages, at `/portal` (paths here are from there): the keys, and one key. A portal
 * session sees nothing else, whatever path it types.
 */
export function portalRoute({ pathname, search }: Location): { title: string; element: ReactNode } {
  if (pathname === '/' || pathname === '/keys' || pathname === '/keys/') {
    return { title: 'API Keys', element: <PortalKeysPage search={parseListSearch(search)} /> };
  }
  const key = keyIdOfPath(pathname);
  if (key) return { title: key, element: <PortalKeyPage key={key} keyId={key} /> };
  return {
    title: 'Not found',
    element: (
      <>
        <h1 id="page-heading" tabIndex={-1}>
          Page not found
        </h1>
        <p>There is no such page here. Your API keys are on the API Keys page.</p>
      </>
    ),
  };
}
