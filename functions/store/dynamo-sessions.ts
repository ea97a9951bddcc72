import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { PortalSessionStore, StoredPortalSession } from '#domain/portal/portal-sessions.ts';
import type { AuditEntry } from '#domain/shared/ports.ts';
import { auditPut } from './dynamo-audit.ts';
import { ConditionFailed, runTransaction } from './transaction.ts';

export interface SessionTables {
  readonly sessions: string;
  readonly audit: string;
}

/** Portal sessions, one item each, removed by TTL at the session's end (an ended one at once). */
export class DynamoPortalSessionStore implements PortalSessionStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tables: SessionTables,
    private readonly auditRetentionDays: number,
  ) {}

  async create(session: StoredPortalSession, audit: AuditEntry): Promise<void> {
    await runTransaction(this.doc, [
      {
        Put: {
          TableName: this.tables.sessions,
          Item: { ...session, ttl: Math.ceil(Date.parse(session.expiresAt) / 1000) },
          ConditionExpression: 'attribute_not_exists(sessionId)',
        },
      },
      auditPut(this.tables.audit, audit, this.auditRetentionDays),
    ]);
  }

  async get(sessionId: string): Promise<StoredPortalSession | undefined> {
    const out = await this.doc.send(
      new GetCommand({ TableName: this.tables.sessions, Key: { sessionId }, ConsistentRead: true }),
    );
    if (!out.Item) return undefined;
    const { ttl: _ttl, ...session } = out.Item;
    return session as StoredPortalSession;
  }

  async enter(
    sessionId: string,
    codeHash: string,
    tokenHash: string,
    at: string,
    audit: AuditEntry,
  ): Promise<boolean> {
    try {
      await runTransaction(this.doc, [
        {
          Update: {
            TableName: this.tables.sessions,
            Key: { sessionId },
            UpdateExpression: 'SET tokenHash = :token, enteredAt = :at',
            // Once, with the code it was made with, before the link and the session run out.
            ConditionExpression:
              'codeHash = :code AND attribute_not_exists(tokenHash) AND codeExpiresAt > :at AND expiresAt > :at',
            ExpressionAttributeValues: { ':token': tokenHash, ':code': codeHash, ':at': at },
          },
        },
        auditPut(this.tables.audit, audit, this.auditRetentionDays),
      ]);
      return true;
    } catch (error) {
      if (error instanceof ConditionFailed && error.index === 0) return false;
      throw error;
    }
  }

  async end(sessionId: string, audit: AuditEntry): Promise<boolean> {
    try {
      await runTransaction(this.doc, [
        {
          Delete: {
            TableName: this.tables.sessions,
            Key: { sessionId },
            ConditionExpression: 'attribute_exists(sessionId)',
          },
        },
        auditPut(this.tables.audit, audit, this.auditRetentionDays),
      ]);
      return true;
    } catch (error) {
      if (error instanceof ConditionFailed && error.index === 0) return false;
      throw error;
    }
  }
}
