import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LINK_SECONDS, PortalSessionService } from '../../functions/domain/portal/portal-sessions.ts';
import { DynamoAuditStore } from '../../functions/store/dynamo-audit.ts';
import { DynamoPortalSessionStore } from '../../functions/store/dynamo-sessions.ts';
import { localClient } from '../../local/dynamodb-local.ts';
import { startTestService, type TestService } from '../support/service.ts';

/** Session expiry on DynamoDB Local through the real store, with the service's clock in the test's hands. */
let service: TestService;
let doc: DynamoDBDocumentClient;
let now = new Date('2026-12-07T12:00:00Z');

const sessions = () =>
  new PortalSessionService({
    store: new DynamoPortalSessionStore(
      doc,
      { sessions: service.tables.sessions, audit: service.tables.audit },
      30,
    ),
    roles: { missingRoles: async () => [] },
    now: () => now,
    portalUrl: 'https://portal.example.com',
  });
const ctx = { actor: 'arn:aws:iam::123456789012:role/backend', requestId: 'r-1' };
const input = (expiresInSeconds: number) => ({
  subject: 'alice',
  scope: { workspaceId: 'ws-a' },
  permissions: ['api.key.view' as const],
  roles: ['read'],
  types: ['personal' as const],
  personalKeys: 'own' as const,
  expiresInSeconds,
});
const codeOf = (url: string) => new URL(url).searchParams.get('code') as string;

beforeAll(async () => {
  service = await startTestService();
  doc = DynamoDBDocumentClient.from(localClient(service.dynamoEndpoint, service.dynamoAccessKeyId));
});
afterAll(async () => {
  doc?.destroy();
  await service?.stop();
});

describe('portal session lifetimes', () => {
  it('makes an absolute https link whose code the store never holds', async () => {
    now = new Date('2026-12-07T12:00:00Z');
    const made = await sessions().create(input(3600), ctx);
    expect(made.url).toMatch(
      /^https:\/\/portal\.example\.com\/portal\/enter\?code=ps_[0-9A-Za-z]{22}\.[0-9A-Za-z]{43}$/,
    );
    expect(made.expiresAt).toBe('2026-12-07T13:00:00.000Z');
    const stored = JSON.stringify(
      await new DynamoPortalSessionStore(
        doc,
        { sessions: service.tables.sessions, audit: service.tables.audit },
        30,
      ).get(made.sessionId),
    );
    expect(stored).not.toContain(codeOf(made.url).split('.')[1]);
  });

  it('refuses a link opened after its ten minutes', async () => {
    now = new Date('2026-12-07T12:00:00Z');
    const made = await sessions().create(input(3600), ctx);
    now = new Date(Date.parse('2026-12-07T12:00:00Z') + LINK_SECONDS * 1000);
    expect(await sessions().enter(codeOf(made.url), 'r-2')).toBeUndefined();
    now = new Date(Date.parse('2026-12-07T12:00:00Z') + LINK_SECONDS * 1000 - 1);
    expect(await sessions().enter(codeOf(made.url), 'r-3')).toBeDefined();
  });

  it('a link never outlives its session', async () => {
    now = new Date('2026-12-07T12:00:00Z');
    const made = await sessions().create(input(60), ctx);
    now = new Date('2026-12-07T12:01:00Z');
    expect(await sessions().enter(codeOf(made.url), 'r-4')).toBeUndefined();
  });

  it('a session ends at its expiry: its token stops working', async () => {
    now = new Date('2026-12-07T12:00:00Z');
    const made = await sessions().create(input(120), ctx);
    const entered = await sessions().enter(codeOf(made.url), 'r-5');
    expect(entered).toBeDefined();
    now = new Date('2026-12-07T12:01:59Z');
    expect(await sessions().authenticate(entered?.token)).toBeDefined();
    now = new Date('2026-12-07T12:02:00Z');
    expect(await sessions().authenticate(entered?.token)).toBeUndefined();
  });

  it('two browsers opening one link: exactly one gets the session', async () => {
    now = new Date('2026-12-07T12:00:00Z');
    const made = await sessions().create(input(3600), ctx);
    const tries = await Promise.all(
      Array.from({ length: 8 }, (_, i) => sessions().enter(codeOf(made.url), `r-${i}`)),
    );
    expect(tries.filter(Boolean)).toHaveLength(1);
  });

  it('audits creation and entry under the session', async () => {
    now = new Date('2026-12-07T12:00:00Z');
    const made = await sessions().create(input(3600), ctx);
    await sessions().enter(codeOf(made.url), 'r-9');
    const trail = await new DynamoAuditStore(doc, service.tables.audit).query(
      { actor: 'portal:alice' },
      100,
      undefined,
    );
    expect(
      trail.items.some((e) => e.action === 'portal.session.entered' && e.portalSession === made.sessionId),
    ).toBe(true);
  });
});
