import { now } from '#config/clock.ts';
import { required, tableName } from '#config/settings.ts';
import { PortalKeyService } from '#domain/portal/portal-keys.ts';
import { PortalSessionService } from '#domain/portal/portal-sessions.ts';
import { dynamoDocument } from '#platform/aws/clients.ts';
import type { PortalRouteDeps } from '#platform/http/portal-route.ts';
import { DynamoPortalSessionStore } from '#store/dynamo-sessions.ts';
import { auditRetentionDays, keyService, keyStore, roleStore, usageStore } from './management.ts';

/** The portal's origin: links are made for it, and only its pages may change anything. */
export const portalUrl = () => required('LATCHKEY_PORTAL_URL');

let sessions: PortalSessionService | undefined;

export function portalSessions(): PortalSessionService {
  sessions ??= new PortalSessionService({
    store: new DynamoPortalSessionStore(
      dynamoDocument(),
      { sessions: tableName('sessions'), audit: tableName('audit') },
      auditRetentionDays(),
    ),
    roles: roleStore(),
    now,
    portalUrl: portalUrl(),
  });
  return sessions;
}

export const portalRouteDeps = (): PortalRouteDeps => ({
  sessions: portalSessions(),
  portalUrl: portalUrl(),
});

export function portalKeys(): PortalKeyService {
  const store = keyStore();
  return new PortalKeyService({
    keys: keyService(),
    getKey: (keyId) => store.getKey(keyId),
    lister: store,
    usage: usageStore(),
    now,
  });
}
