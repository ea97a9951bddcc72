import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { regionFromHost } from '#client/client.ts';
import { createSigner } from '#client/sigv4.ts';
import { dashboardSite } from './static-site.ts';

/**
 * `latchkey dashboard`: the dashboard on 127.0.0.1 in front of a deployed management API. The
 * page calls `/v1/*` here with a random token (from the printed link); each call that carries it
 * is signed with SigV4 under the operator's own AWS identity and forwarded to the endpoint. The
 * token never leaves this machine: it is checked, then dropped before signing.
 */
export interface DashboardProxyOptions {
  /** The management API's URL, stage included, e.g. https://abc123.execute-api.eu-west-1.amazonaws.com/v1 */
  endpoint: string;
  /** Port on 127.0.0.1. @default 0 (a free one) */
  port?: number;
  /** @default the options', then AWS_REGION / AWS_DEFAULT_REGION, then the execute-api host's */
  region?: string;
  /** A profile of the shared AWS config files. @default the standard credential chain */
  profile?: string;
}

export interface DashboardProxy {
  /** The link to open: the page, with the token in the fragment (never sent to a server). */
  url: string;
  token: string;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 1_048_576;
/** Request headers the page may pass on; everything else (the token, cookies, the browser's) stays here. */
const FORWARDED_REQUEST_HEADERS = ['accept', 'content-type', 'if-match', 'idempotency-key'];
const RELAYED_RESPONSE_HEADERS = [
  'content-type',
  'etag',
  'location',
  'idempotent-replayed',
  'retry-after',
  'x-amzn-requestid',
];

function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, code: string, message: string) {
  res.writeHead(status, {
    'content-type': 'application/json',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  res.end(JSON.stringify({ error: { code, message } }));
}

function tokenMatches(header: string | undefined, token: string): boolean {
  const presented = /^Bearer\s+(\S+)$/i.exec(header ?? '')?.[1];
  if (!presented) return false;
  const a = Buffer.from(presented);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function startDashboardProxy(opts: DashboardProxyOptions): Promise<DashboardProxy> {
  const endpoint = new URL(opts.endpoint);
  if (endpoint.protocol !== 'https:' && endpoint.protocol !== 'http:')
    throw new Error(`the endpoint must be an http(s) URL, got ${opts.endpoint}`);
  const region =
    opts.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? regionFromHost(endpoint.host);
  if (!region)
    throw new Error('no AWS region: pass --region, set AWS_REGION, or use an execute-api endpoint');
  // The client's signer: Smithy's SignatureV4 for execute-api, credentials from the standard chain.
  const sign = createSigner({ region, ...(opts.profile ? { profile: opts.profile } : {}) });
  const base = endpoint.pathname.replace(/\/+$/, '');
  const token = `lk_dash_${randomBytes(24).toString('base64url')}`;
  const site = await dashboardSite();

  async function forward(req: IncomingMessage, res: ServerResponse, path: string, search: string) {
    const body = await readBody(req);
    if (!body)
      return sendJson(res, 413, 'PAYLOAD_TOO_LARGE', `request body is larger than ${MAX_BODY_BYTES} bytes`);
    const target = new URL(`${endpoint.origin}${base}${path}${search}`);
    const headers: Record<string, string> = {};
    for (const name of FORWARDED_REQUEST_HEADERS) {
      const value = req.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    const method = (req.method ?? 'GET').toUpperCase();
    const payload = body.length > 0 ? body : undefined;
    if (payload) headers['content-length'] = String(payload.length);
    let signed: Record<string, string>;
    try {
      signed = await sign({ method, url: target, headers, body: payload?.toString('utf8') });
    } catch (cause) {
      return sendJson(
        res,
        500,
        'CREDENTIALS',
        `no AWS credentials to sign with: ${(cause as Error).message}`,
      );
    }
    let answer: Response;
    try {
      const { 'content-length': _length, ...sent } = signed;
      answer = await fetch(target, {
        method,
        headers: sent,
        body: payload ? new Uint8Array(payload) : undefined,
        redirect: 'manual',
      });
    } catch (cause) {
      return sendJson(
        res,
        502,
        'BAD_GATEWAY',
        `the management API could not be reached: ${(cause as Error).message}`,
      );
    }
    const out: Record<string, string> = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };
    for (const name of RELAYED_RESPONSE_HEADERS) {
      const value = answer.headers.get(name);
      if (value !== null) out[name] = value;
    }
    const bytes = Buffer.from(await answer.arrayBuffer());
    res.writeHead(answer.status, { ...out, 'content-length': String(bytes.length) });
    res.end(bytes);
  }

  let hosts: Set<string> = new Set();
  const server: Server = createServer(async (req, res) => {
    try {
      // Only this machine's own names: a page on another site that rebinds its name to 127.0.0.1 is refused.
      if (!hosts.has(String(req.headers.host))) {
        req.resume();
        return sendJson(res, 421, 'MISDIRECTED', 'use the 127.0.0.1 link that latchkey dashboard printed');
      }
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (url.pathname === '/v1' || url.pathname.startsWith('/v1/')) {
        // Checked before anything is read or signed: without the token nothing is forwarded.
        if (!tokenMatches(req.headers.authorization, token)) {
          req.resume();
          return sendJson(res, 401, 'UNAUTHORIZED', 'open the link that latchkey dashboard printed');
        }
        return await forward(req, res, url.pathname, url.search);
      }
      req.resume();
      const method = req.method ?? 'GET';
      if (method !== 'GET' && method !== 'HEAD')
        return sendJson(res, 404, 'NOT_FOUND', `no route for ${method} ${url.pathname}`);
      const page = await site.get(url.pathname);
      res.writeHead(page.status, page.headers);
      res.end(method === 'HEAD' ? undefined : page.body);
    } catch (cause) {
      if (!res.headersSent) sendJson(res, 500, 'INTERNAL', `proxy error: ${(cause as Error).message}`);
      else res.end();
    }
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : (opts.port ?? 0));
    });
  });
  hosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  return {
    url: `http://127.0.0.1:${port}/#token=${token}`,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}
