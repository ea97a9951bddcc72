import { connect, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { startTestService, type TestService } from '../support/service.ts';

/**
 * What a keep-alive client sees while the local server stops. `stop()` is what SIGTERM calls
 * (local/main.ts); here it is called in this process, at the exact moment that matters.
 */

/** A raw keep-alive connection: requests written as bytes, answers read whole, and how it ended. */
async function connection(svc: TestService) {
  const url = new URL(svc.url);
  const socket: Socket = connect(Number(url.port), url.hostname);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  let received = '';
  const ended = new Promise<{ received: string; error?: string }>((resolve) => {
    socket.on('data', (chunk) => {
      received += chunk;
    });
    socket.on('error', (error: NodeJS.ErrnoException) => resolve({ received, error: error.code }));
    socket.on('close', () => resolve({ received }));
  });
  const request = (path: string) =>
    `GET ${path} HTTP/1.1\r\nhost: ${url.host}\r\nauthorization: Bearer ${svc.adminToken}\r\n\r\n`;
  /** Resolves once `count` whole answers (headers and the body their content-length names) are in. */
  const answers = async (count: number) => {
    for (;;) {
      const parts = received.split(/(?=HTTP\/1\.1 \d{3})/).filter(Boolean);
      const whole = parts.filter((p) => {
        const [head, body = ''] = p.split('\r\n\r\n');
        const length = Number(/content-length: (\d+)/i.exec(head ?? '')?.[1] ?? 0);
        return p.includes('\r\n\r\n') && Buffer.byteLength(body) >= length;
      });
      if (whole.length >= count) return whole;
      await new Promise((resolve) => socket.once('data', resolve));
    }
  };
  return { socket, request, answers, ended };
}

describe('stopping under keep-alive', () => {
  it('answers 503 with Connection: close to a request that arrives on an idle connection as the stop begins, never a reset', async () => {
    const svc = await startTestService();
    const conn = await connection(svc);
    conn.socket.write(conn.request('/v1/keys?limit=1'));
    const [first] = await conn.answers(1);
    expect(first).toMatch(/^HTTP\/1\.1 200 /);
    // The connection is idle now. The next request is on its way (in the server's receive
    // buffer, not yet read) when the stop begins: the moment SIGTERM meets a busy client.
    conn.socket.write(conn.request('/v1/keys?limit=1'));
    const stopped = svc.stop();
    const { received, error } = await conn.ended;
    await stopped;
    expect(error).toBeUndefined();
    const answers = received.split(/(?=HTTP\/1\.1 \d{3})/);
    expect(answers).toHaveLength(2);
    expect(answers[1]).toMatch(/^HTTP\/1\.1 503 /);
    expect(answers[1]).toMatch(/\r\nconnection: close\r\n/i);
    expect(answers[1]).toContain('"SERVICE_UNAVAILABLE"');
  });
});
