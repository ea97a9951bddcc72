import {
  APIGatewayClient,
  GetApiKeysCommand,
  GetUsagePlanKeysCommand,
  GetUsagePlansCommand,
} from '@aws-sdk/client-api-gateway';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { batches, keysFromApiGateway, keysFromCsv, parseCsv } from '../../cli/src/lib/import-sources.ts';

const gateway = mockClient(APIGatewayClient);
afterEach(() => gateway.reset());

const value = (n: number) => `gw-value-${String(n).padStart(4, '0')}-abcdefghijklmnop`;

describe('latchkey import apigateway: the keys of one REST API', () => {
  it("reads every page of the API's usage plans, their keys and the key values", async () => {
    gateway
      .on(GetUsagePlansCommand, { position: undefined })
      .resolves({
        items: [
          { id: 'plan-a', apiStages: [{ apiId: 'api-1', stage: 'prod' }] },
          { id: 'plan-other', apiStages: [{ apiId: 'api-2', stage: 'prod' }] },
        ],
        position: 'plans-2',
      })
      .on(GetUsagePlansCommand, { position: 'plans-2' })
      .resolves({ items: [{ id: 'plan-b', apiStages: [{ apiId: 'api-1', stage: 'dev' }] }] });
    gateway
      .on(GetUsagePlanKeysCommand, { usagePlanId: 'plan-a', position: undefined })
      .resolves({ items: [{ id: 'k1', type: 'API_KEY' }], position: 'a-2' })
      .on(GetUsagePlanKeysCommand, { usagePlanId: 'plan-a', position: 'a-2' })
      .resolves({ items: [{ id: 'k2', type: 'API_KEY' }] })
      .on(GetUsagePlanKeysCommand, { usagePlanId: 'plan-b' })
      .resolves({
        items: [
          { id: 'k3', type: 'API_KEY' },
          { id: 'k4', type: 'API_KEY' },
          { id: 'k-shared', type: 'API_KEY' },
          { id: 'k-per-key', type: 'API_KEY' },
        ],
      });
    gateway
      .on(GetApiKeysCommand, { includeValues: true, position: undefined })
      .resolves({
        items: [
          { id: 'k1', name: 'first', value: value(1), enabled: true, description: 'from gateway' },
          { id: 'k-not-this-api', name: 'elsewhere', value: value(9), enabled: true },
        ],
        position: 'keys-2',
      })
      .on(GetApiKeysCommand, { includeValues: true, position: 'keys-2' })
      .resolves({
        items: [
          { id: 'k2', name: 'second', value: value(2), enabled: true },
          { id: 'k3', name: 'off', value: value(3), enabled: false },
          { id: 'k4', value: value(4), enabled: true },
          // What Latchkey's own usage plans made: meters, never to become credentials.
          {
            id: 'k-shared',
            name: 'prod-free-shared',
            value: value(5),
            enabled: true,
            description: 'Latchkey: every key on plan "free" (usage plan mode shared)',
          },
          {
            id: 'k-per-key',
            name: 'prod-key_abc',
            value: value(6),
            enabled: true,
            description: 'Latchkey key key_abc (usage plan key; managed by Latchkey)',
          },
        ],
      });

    const { items, skippedDisabled, skippedLatchkey } = await keysFromApiGateway(
      new APIGatewayClient({ region: 'eu-west-1' }),
      'api-1',
    );
    expect(items).toEqual([
      {
        secret: value(1),
        name: 'first',
        description: 'from gateway',
        metadata: { apiGatewayKeyId: 'k1', restApiId: 'api-1' },
      },
      { secret: value(2), name: 'second', metadata: { apiGatewayKeyId: 'k2', restApiId: 'api-1' } },
      { secret: value(4), metadata: { apiGatewayKeyId: 'k4', restApiId: 'api-1' } },
    ]);
    expect(skippedDisabled).toEqual(['k3']);
    expect(skippedLatchkey).toEqual(['k-shared', 'k-per-key']);
    // Every GetApiKeys call asked for the values; the other API's plan was never read.
    const keyCalls = gateway.commandCalls(GetApiKeysCommand);
    expect(keyCalls).toHaveLength(2);
    expect(keyCalls.every((c) => c.args[0].input.includeValues === true)).toBe(true);
    expect(gateway.commandCalls(GetUsagePlansCommand)).toHaveLength(2);
    expect(gateway.commandCalls(GetUsagePlanKeysCommand).map((c) => c.args[0].input.usagePlanId)).toEqual([
      'plan-a',
      'plan-a',
      'plan-b',
    ]);
  });

  it('finds nothing for an API without usage plans, without reading any key value', async () => {
    gateway.on(GetUsagePlansCommand).resolves({ items: [] });
    gateway.on(GetApiKeysCommand).resolves({ items: [{ id: 'k1', value: value(1), enabled: true }] });
    const { items } = await keysFromApiGateway(new APIGatewayClient({ region: 'eu-west-1' }), 'api-1');
    expect(items).toEqual([]);
  });
});

describe('latchkey import csv: parsing', () => {
  it('reads quoted fields, ;-separated lists, never for no expiry, and CRLF', () => {
    expect(parseCsv('a,"b, ""c""",d\r\n\r\ne,f,g\n')).toEqual([
      ['a', 'b, "c"', 'd'],
      ['e', 'f', 'g'],
    ]);
    expect(
      keysFromCsv(
        'secret,roles,workspace,expiresAt,name\nS1xxxxxxxxxxxxxxxxxxxx, read ;write ,ws-1,never,\n',
      ),
    ).toEqual([
      {
        secret: 'S1xxxxxxxxxxxxxxxxxxxx',
        roles: ['read', 'write'],
        scope: { workspaceId: 'ws-1' },
        expiresAt: null,
      },
    ]);
  });

  it('names an unknown column or a short row, and never the secret', () => {
    expect(() => keysFromCsv('secret,colour\nx,y\n')).toThrow(/unknown column\(s\): colour/);
    expect(() => keysFromCsv('secret,name\nsupersecretvalue\n')).toThrow(/row 2 has 1 cells/);
    expect(() => keysFromCsv('secret,name\nsupersecretvalue\n')).not.toThrow(/supersecretvalue/);
    expect(() => keysFromCsv('name\nx\n')).toThrow(/no "secret" column/);
  });

  it('batches at 100 keys and under the body limit', () => {
    const small = Array.from({ length: 250 }, (_, i) => ({ secret: `s-${i}-xxxxxxxxxxxxxxxxxx` }));
    expect(batches(small).map((b) => b.length)).toEqual([100, 100, 50]);
    const large = Array.from({ length: 100 }, () => ({
      secret: 'x'.repeat(256),
      description: 'd'.repeat(200),
    }));
    const sized = batches(large);
    expect(sized.length).toBeGreaterThan(1);
    for (const batch of sized)
      expect(Buffer.byteLength(JSON.stringify({ keys: batch }))).toBeLessThan(15_000);
  });
});
