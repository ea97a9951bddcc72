import { DeleteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { dynamoDocument } from '#platform/aws/clients.ts';
import { LINK_SECONDS, PortalSessionService } from '../../functions/domain/portal/portal-sessions.ts';
import { DynamoAuditStore } from '../../functions/store/dynamo-audit.ts';
import { DynamoKeyStore } from '../../functions/store/dynamo-keys.ts';
import { DynamoPortalSessionStore } from '../../functions/store/dynamo-sessions.ts';
import { KeyMigration } from '../../functions/store/key-migration.ts';
import { createKey, useTestService } from '../support/service.ts';

/** Session expiry (and the scope index's migration) on DynamoDB Local through the real store, with the service's clock in the test's hands. */
const service = useTestService();
const doc = () => dynamoDocument();
let now = new Date('2026-12-07T12:00:00Z');

const sessionStore = () => new DynamoPortalSessionStore(doc(), service.tables, 30);
const sessions = () =>
  new PortalSessionService({
    store: sessionStore(),
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

describe('portal session lifetimes', () => {
  it('makes an absolute https link whose code the store never holds', async () => {
    now = new Date('2026-12-07T12:00:00Z');
    const made = await sessions().create(input(3600), ctx);
    expect(made.url).toMatch(
      /^https:\/\/portal\.example\.com\/portal\/enter\?code=ps_[0-9A-Za-z]{22}\.[0-9A-Za-z]{43}$/,
    );
    expect(made.expiresAt).toBe('2026-12-07T13:00:00.000Z');
    const stored = JSON.stringify(await sessionStore().get(made.sessionId));
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
    const trail = await new DynamoAuditStore(doc(), service.tables.audit).query(
      { actor: 'portal:alice' },
      100,
      undefined,
    );
    expect(
      trail.items.some((e) => e.action === 'portal.session.entered' && e.portalSession === made.sessionId),
    ).toBe(true);
  });
});

describe('keys stored before the scope index', () => {
  it('are brought into it once, by the migration the scheduled sweep and the local start run', async () => {
    const { keyId } = (await createKey(service, { name: 'old key', scope: { workspaceId: 'ws-old' } })).key;
    // As a key written by the previous version: no scope key, and no marker saying otherwise.
    await doc().send(
      new UpdateCommand({
        TableName: service.tables.keys,
        Key: { keyId },
        UpdateExpression: 'REMOVE scopeKey',
      }),
    );
    await doc().send(new DeleteCommand({ TableName: service.tables.owners, Key: { owner: '#schema' } }));
    const store = new DynamoKeyStore(doc(), service.tables);
    const scope = { workspaceId: 'ws-old' };
    expect((await store.listInScope({ scope }, 10, undefined, new Date())).items).toEqual([]);
    const migration = new KeyMigration(doc(), store, service.tables);
    const first = await migration.step({ budgetMs: -1 });
    expect(first).toMatchObject({ done: false, scanned: 0 });
    const done = await migration.step();
    expect(done.done).toBe(true);
    expect(done.updated).toBe(1);
    expect((await store.listInScope({ scope }, 10, undefined, new Date())).items.map((k) => k.keyId)).toEqual(
      [keyId],
    );
    expect(await migration.step()).toEqual({ scanned: 0, updated: 0, done: true });
    const key = await service.api('GET', `/v1/keys/${keyId}`);
    expect(key.body.version).toBe(1);
  });
});
