import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  QueryCommand as LowQueryCommand,
  ScanCommand as LowScanCommand,
  PutItemCommand,
  TransactGetItemsCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import {
  BatchGetCommand,
  BatchWriteCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  TransactGetCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { TABLES, type TableId, tableEnvVar } from '../../functions/store/tables.ts';

/** One AWS call as IAM sees it: the action, and the table (and index) it touches. */
export interface RecordedCall {
  readonly action: string;
  readonly table?: TableId;
  readonly index?: string;
  /** What an UpdateItem touches, key attributes included (what IAM's dynamodb:Attributes sees). */
  readonly attributes?: readonly string[];
}

type Input = Record<string, unknown>;
/** The part of a client mock the recorder uses, one type for every command. */
interface Fakes {
  on(command: unknown): { callsFake(fake: (input: Input) => unknown): unknown };
}
/** What a fake answers a command with, by its IAM action and its table. */
export type Responder = (call: RecordedCall, input: Input) => unknown;

const TRANSACT_WRITE: Record<string, string> = {
  Put: 'dynamodb:PutItem',
  Update: 'dynamodb:UpdateItem',
  Delete: 'dynamodb:DeleteItem',
  ConditionCheck: 'dynamodb:ConditionCheckItem',
};

/**
 * Records every DynamoDB (document and low-level client) and EventBridge command the code under
 * test sends, as IAM actions on tables and indexes: a transaction counts as each of its items
 * (TransactWriteItems is authorised per Put/Update/Delete/ConditionCheck, TransactGetItems per Get).
 */
export function recordCommands(respond: Responder) {
  const tableIds = new Map<string, TableId>();
  for (const id of Object.keys(TABLES) as TableId[]) {
    const name = process.env[tableEnvVar(id)];
    if (name) tableIds.set(name, id);
  }
  const calls: RecordedCall[] = [];
  const tableOf = (name: unknown) => {
    const id = tableIds.get(String(name));
    if (!id) throw new Error(`recorded a call on an unknown table "${String(name)}"`);
    return id;
  };
  const record = (action: string, input: Input): unknown => {
    const expanded: RecordedCall[] = [];
    if (action === 'dynamodb:TransactWriteItems') {
      for (const item of (input.TransactItems ?? []) as Record<string, Input>[])
        for (const [kind, op] of Object.entries(item))
          expanded.push({ action: TRANSACT_WRITE[kind] ?? `unknown:${kind}`, table: tableOf(op.TableName) });
    } else if (action === 'dynamodb:TransactGetItems') {
      for (const item of (input.TransactItems ?? []) as { Get: Input }[])
        expanded.push({ action: 'dynamodb:GetItem', table: tableOf(item.Get.TableName) });
    } else if (action === 'dynamodb:BatchGetItem' || action === 'dynamodb:BatchWriteItem') {
      for (const name of Object.keys((input.RequestItems ?? {}) as Input))
        expanded.push({ action, table: tableOf(name) });
    } else {
      const index = typeof input.IndexName === 'string' ? input.IndexName : undefined;
      const attributes = action === 'dynamodb:UpdateItem' ? updatedAttributes(input) : undefined;
      expanded.push({
        action,
        table: tableOf(input.TableName),
        ...(index ? { index } : {}),
        ...(attributes ? { attributes } : {}),
      });
    }
    calls.push(...expanded);
    return respond({ action, ...(expanded.length === 1 ? expanded[0] : {}) }, input);
  };
  const documents = mockClient(DynamoDBDocumentClient);
  const low = mockClient(DynamoDBClient);
  // Both clients' commands, by the IAM action each is authorised as.
  const commands = [
    [documents, GetCommand, 'GetItem'],
    [documents, PutCommand, 'PutItem'],
    [documents, UpdateCommand, 'UpdateItem'],
    [documents, DeleteCommand, 'DeleteItem'],
    [documents, QueryCommand, 'Query'],
    [documents, ScanCommand, 'Scan'],
    [documents, BatchGetCommand, 'BatchGetItem'],
    [documents, BatchWriteCommand, 'BatchWriteItem'],
    [documents, TransactGetCommand, 'TransactGetItems'],
    [documents, TransactWriteCommand, 'TransactWriteItems'],
    [low, GetItemCommand, 'GetItem'],
    [low, PutItemCommand, 'PutItem'],
    [low, UpdateItemCommand, 'UpdateItem'],
    [low, DeleteItemCommand, 'DeleteItem'],
    [low, LowQueryCommand, 'Query'],
    [low, LowScanCommand, 'Scan'],
    [low, BatchGetItemCommand, 'BatchGetItem'],
    [low, BatchWriteItemCommand, 'BatchWriteItem'],
    [low, TransactGetItemsCommand, 'TransactGetItems'],
    [low, TransactWriteItemsCommand, 'TransactWriteItems'],
  ] as const;
  // Registered first, so the fakes below take precedence: any other command fails loudly.
  for (const mock of [documents, low])
    mock.onAnyCommand().rejects(new Error('recorded an unknown DynamoDB command'));
  for (const [mock, command, action] of commands)
    (mock as unknown as Fakes).on(command).callsFake((input) => record(`dynamodb:${action}`, input));
  const events = mockClient(EventBridgeClient);
  events.on(PutEventsCommand).callsFake(() => {
    calls.push({ action: 'events:PutEvents' });
    return { FailedEntryCount: 0, Entries: [] };
  });
  const lambda = mockClient(LambdaClient);
  lambda.on(InvokeCommand).callsFake(() => {
    calls.push({ action: 'lambda:InvokeFunction' });
    return { StatusCode: 202 };
  });
  return {
    calls,
    /** Forgets what was recorded, keeping the fakes. */
    clear: () => calls.splice(0),
    restore: () => {
      for (const mock of [documents, low, events, lambda]) mock.restore();
    },
  };
}

const UPDATE_WORDS = new Set(['SET', 'ADD', 'REMOVE', 'DELETE', 'if_not_exists', 'list_append']);

/** The key attributes and every attribute an update expression names (`#alias` resolved). */
function updatedAttributes(input: Input): string[] {
  const aliases = (input.ExpressionAttributeNames ?? {}) as Record<string, string>;
  const expression = String(input.UpdateExpression ?? '');
  const named = (expression.match(/(?<![:\w])[#A-Za-z_]\w*/g) ?? [])
    .filter((token) => !UPDATE_WORDS.has(token))
    .map((token) => (token.startsWith('#') ? (aliases[token] ?? token) : token));
  return [...new Set([...Object.keys((input.Key ?? {}) as Input), ...named])];
}
