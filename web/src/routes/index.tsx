import type { ReactNode } from 'react';
import { USAGE_WINDOWS } from '../api/usage.ts';
import { CompliancePage } from '../features/compliance/compliance-page.tsx';
import { KeyDetailPage } from '../features/keys/key-detail-page.tsx';
import { KeysPage, type KeysSearch } from '../features/keys/keys-page.tsx';
import { RolesPage } from '../features/roles/roles-page.tsx';
import { RotationPage } from '../features/rotation/rotation-page.tsx';
import { UsagePage } from '../features/usage/usage-page.tsx';
import type { Location } from '../lib/router.tsx';
import { keyIdOfPath, parseListSearch, textParam } from './search-params.ts';

/**
 * The pages and their URLs. Each route only checks its path and search params; the pages live
 * in features/. Search params that fail their check are dropped, never sent to the API.
 */
export function parseKeysSearch(params: URLSearchParams): KeysSearch {
  const { search, status } = parseListSearch(params);
  const role = textParam(params.get('role'), 64);
  return {
    search,
    owner: textParam(params.get('owner'), 128),
    role: role && /^[a-z0-9][a-z0-9_:-]*$/.test(role) ? role : undefined,
    status,
  };
}

export interface Route {
  title: string;
  section: 'keys' | 'usage' | 'roles' | 'rotation' | 'compliance' | null;
  element: ReactNode;
}

export function route(location: Location): Route {
  const { pathname, search } = location;
  if (pathname === '/' || pathname === '/keys' || pathname === '/keys/') {
    return { title: 'API Keys', section: 'keys', element: <KeysPage search={parseKeysSearch(search)} /> };
  }
  const key = keyIdOfPath(pathname);
  if (key) return { title: key, section: 'keys', element: <KeyDetailPage key={key} keyId={key} /> };
  if (pathname === '/usage') {
    const days = USAGE_WINDOWS.find((n) => String(n) === search.get('days')) ?? 30;
    return { title: 'Usage', section: 'usage', element: <UsagePage days={days} /> };
  }
  if (pathname === '/roles') return { title: 'Roles', section: 'roles', element: <RolesPage /> };
  if (pathname === '/rotation') return { title: 'Rotation', section: 'rotation', element: <RotationPage /> };
  if (pathname === '/compliance')
    return { title: 'Compliance', section: 'compliance', element: <CompliancePage /> };
  return {
    title: 'Not found',
    section: null,
    element: (
      <>
        <h1 id="page-heading" tabIndex={-1}>
          Page not found
        </h1>
        <p>
          There is no page at <code>{pathname}</code>.
        </p>
      </>
    ),
  };
}
