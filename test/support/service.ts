import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { type LocalService, startLocal } from '../../local/server.ts';

export interface TestService extends LocalService {
  /** Calls the local server with the admin token, JSON in and out. */
  api(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<ApiResponse>;
}

export interface ApiResponse {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: response bodies are inspected freely in tests
  body: any;
  text: string;
}

/** The local service in this test process, on the shared DynamoDB Local, with its own tables. */
export async function startTestService(): Promise<TestService> {
  const service = await startLocal({
    port: 0,
    memory: true,
    dynamoEndpoint: inject('dynamoEndpoint'),
    tablePrefix: `t${randomBytes(4).toString('hex')}-`,
    adminToken: `test-admin-${randomBytes(16).toString('hex')}`,
  });
  return {
    ...service,
    async api(method, path, body, headers = {}) {
      const res = await fetch(`${service.url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${service.adminToken}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await res.text();
      let parsed: unknown;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        parsed = undefined;
      }
      return { status: res.status, headers: res.headers, body: parsed, text };
    },
  };
}

export const newKey = (overrides: Record<string, unknown> = {}) => ({
  owner: 'alice',
  scope: { workspaceId: 'ws-1' },
  ...overrides,
});
