import { Readable } from 'node:stream';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';

/**
 * A DynamoDB transport that answers from memory and counts what it is asked, so the benchmark
 * measures the code above the wire and counts reads and writes exactly. Both the authorizer and
 * the bare GetCommand baseline run on it.
 */
export class StubTransport {
  readonly calls: string[] = [];
  constructor(private readonly items: Map<string, Record<string, unknown>>) {}

  async handle(request: { headers: Record<string, string>; body?: unknown }) {
    const op = (request.headers['x-amz-target'] ?? '').split('.')[1] ?? 'Unknown';
    this.calls.push(op);
    let payload: unknown = {};
    if (op === 'GetItem') {
      const input = JSON.parse(Buffer.from(request.body as Uint8Array).toString('utf8')) as {
        TableName: string;
        Key: { keyId: { S: string } };
      };
      // The keys table's items only: a usage day read by the counter's flush is not there yet.
      const item = input.TableName === 'keys' ? this.items.get(input.Key.keyId.S) : undefined;
      payload = item ? { Item: marshall(item, { removeUndefinedValues: true }) } : {};
    }
    return {
      response: {
        statusCode: 200,
        reason: 'OK',
        headers: { 'content-type': 'application/x-amz-json-1.0' },
        body: Readable.from([Buffer.from(JSON.stringify(payload))]),
      },
    };
  }

  updateHttpClientConfig() {}
  httpHandlerConfigs() {
    return {};
  }
  destroy() {}

  count(ops: readonly string[]) {
    return this.calls.filter((op) => ops.includes(op)).length;
  }
}

export function stubDocumentClient(transport: StubTransport) {
  return DynamoDBDocumentClient.from(
    new DynamoDBClient({
      region: 'us-east-1',
      credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
      requestHandler: transport as never,
    }),
    { marshallOptions: { removeUndefinedValues: true } },
  );
}
