import type { HandlerName } from '../routes.ts';

/**
 * Every handler module, named: a static map of loaders, so a reader (or a tool) can follow each
 * import. The local server loads them through it; CDK bundles each file on its own.
 */
export const HANDLER_MODULES = {
  'audit-list': () => import('./audit-list.ts'),
  authorizer: () => import('./authorizer.ts'),
  demo: () => import('./demo.ts'),
  'events-list': () => import('./events-list.ts'),
  healthz: () => import('./healthz.ts'),
  'keys-create': () => import('./keys-create.ts'),
  'keys-delete': () => import('./keys-delete.ts'),
  'keys-get': () => import('./keys-get.ts'),
  'keys-import': () => import('./keys-import.ts'),
  'keys-list': () => import('./keys-list.ts'),
  'keys-quota': () => import('./keys-quota.ts'),
  'keys-revoke': () => import('./keys-revoke.ts'),
  'keys-rotate': () => import('./keys-rotate.ts'),
  'keys-update': () => import('./keys-update.ts'),
  'keys-usage': () => import('./keys-usage.ts'),
  'leaks-github': () => import('./leaks-github.ts'),
  'leaks-report': () => import('./leaks-report.ts'),
  'pepper-list': () => import('./pepper-list.ts'),
  'pepper-retire': () => import('./pepper-retire.ts'),
  'pepper-rotate': () => import('./pepper-rotate.ts'),
  'pepper-rotation': () => import('./pepper-rotation.ts'),
  'plans-list': () => import('./plans-list.ts'),
  'reports-compliance': () => import('./reports-compliance.ts'),
  'roles-create': () => import('./roles-create.ts'),
  'roles-delete': () => import('./roles-delete.ts'),
  'roles-get': () => import('./roles-get.ts'),
  'roles-list': () => import('./roles-list.ts'),
  'roles-put': () => import('./roles-put.ts'),
  'rotation-sweep': () => import('./rotation-sweep.ts'),
  'sweep-scheduled': () => import('./sweep-scheduled.ts'),
  'usage-ingest': () => import('./usage-ingest.ts'),
  'usage-overview': () => import('./usage-overview.ts'),
  verify: () => import('./verify.ts'),
  whoami: () => import('./whoami.ts'),
} satisfies Record<HandlerName, () => Promise<{ handler: unknown }>>;
