import type { HandlerName } from './routes.ts';

/**
 * Every handler module, named: a static map of loaders, so a reader (or a tool) can follow each
 * import. The local server loads them through it; CDK bundles each file on its own.
 */
export const HANDLER_MODULES = {
  'audit-list': () => import('./handlers/audit-list.ts'),
  authorizer: () => import('./handlers/authorizer.ts'),
  demo: () => import('./handlers/demo.ts'),
  'events-list': () => import('./handlers/events-list.ts'),
  healthz: () => import('./handlers/healthz.ts'),
  'keys-create': () => import('./handlers/keys-create.ts'),
  'keys-delete': () => import('./handlers/keys-delete.ts'),
  'keys-get': () => import('./handlers/keys-get.ts'),
  'keys-import': () => import('./handlers/keys-import.ts'),
  'keys-list': () => import('./handlers/keys-list.ts'),
  'keys-quota': () => import('./handlers/keys-quota.ts'),
  'keys-revoke': () => import('./handlers/keys-revoke.ts'),
  'keys-rotate': () => import('./handlers/keys-rotate.ts'),
  'keys-update': () => import('./handlers/keys-update.ts'),
  'keys-usage': () => import('./handlers/keys-usage.ts'),
  'leaks-github': () => import('./handlers/leaks-github.ts'),
  'leaks-report': () => import('./handlers/leaks-report.ts'),
  'pepper-list': () => import('./handlers/pepper-list.ts'),
  'pepper-retire': () => import('./handlers/pepper-retire.ts'),
  'pepper-rotate': () => import('./handlers/pepper-rotate.ts'),
  'pepper-rotation': () => import('./handlers/pepper-rotation.ts'),
  'plans-list': () => import('./handlers/plans-list.ts'),
  'reports-compliance': () => import('./handlers/reports-compliance.ts'),
  'roles-create': () => import('./handlers/roles-create.ts'),
  'roles-delete': () => import('./handlers/roles-delete.ts'),
  'roles-get': () => import('./handlers/roles-get.ts'),
  'roles-list': () => import('./handlers/roles-list.ts'),
  'roles-put': () => import('./handlers/roles-put.ts'),
  'rotation-sweep': () => import('./handlers/rotation-sweep.ts'),
  'sweep-scheduled': () => import('./handlers/sweep-scheduled.ts'),
  'usage-ingest': () => import('./handlers/usage-ingest.ts'),
  'usage-overview': () => import('./handlers/usage-overview.ts'),
  verify: () => import('./handlers/verify.ts'),
  whoami: () => import('./handlers/whoami.ts'),
} satisfies Record<HandlerName, () => Promise<{ handler: unknown }>>;
