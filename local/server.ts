import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Server as NetServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context, ScheduledEvent } from 'aws-lambda';
import { configure, settings } from '../functions/config/settings.ts';
import { parsePlans, quotaThresholdEvent } from '../functions/domain/plans/plans.ts';
import type { PolicyDocument } from '../functions/domain/verify/route-policy.ts';
import { policyAllows } from '../functions/domain/verify/route-policy.ts';
import { HANDLER_MODULES } from '../functions/handler-modules.ts';
import { eventPublisher } from '../functions/platform/aws/event-publisher.ts';
import { useLocalQuotaCounter } from '../functions/platform/aws/quota-counter.ts';
import type { AuthorizerResult } from '../functions/platform/http/authorizer-events.ts';
import { NO_SNIFF } from '../functions/platform/http/http-route.ts';
import { logger } from '../functions/platform/observability/logger.ts';
import { keyMigration } from '../functions/platform/wiring/management.ts';
import { MANAGEMENT_ROUTES, matchRoute, PORTAL_ROUTES, READINESS_ROUTE } from '../functions/routes.ts';
import { TABLES, type TableId, tableEnvVar } from '../functions/store/tables.ts';
import { dashboardResponse } from '../web/serve.ts'; // dashboard (web/)
import {
  lambdaContext,
  type RequestParts,
  requestAuthorizerEvent,
  requestParts,
  restProxyEvent,
} from './apigateway.ts';
import { localCredentials, tokenMatches } from './credentials.ts';
import {
  type EmbeddedDynamo,
  ensureTables,
  localClient,
  StartupError,
  startDynamoLocal,
} from './dynamodb-local.ts';
import { PublicRouteLimiter } from './public-limiter.ts';
import { PlanLimiter } from './rate-limiter.ts';

export interface LocalOptions {
  /** TCP port on 127.0.0.1; 0 picks a free one. @default 8787 */
  readonly port?: number;
  /** Where DynamoDB Local's files, the pepper and the admin token live. @default '.latchkey' */
  readonly dataDir?: string;
  /** Keep nothing on disk: DynamoDB in memory, credentials in a temporary folder removed on stop. */
  readonly memory?: boolean;
  /** Use this DynamoDB instead of starting the embedded one. */
  readonly dynamoEndpoint?: string;
  /** Prefix of every table name. @default 'latchkey-' */
  readonly tablePrefix?: string;
  /** Use this admin token instead of the stored or generated one. */
  readonly adminToken?: string;
  /** The origin portal links are made for. @default this server's own URL */
  readonly portalUrl?: string;
  /** How long `stop()` waits for requests in flight before closing their connections. @default 10000 */
  readonly stopTimeoutMs?: number;
  /** Restarts of a crashed DynamoDB Local before giving up. @default 5 */
  readonly engineRestarts?: number;
  /** Told, once, when the service cannot go on (DynamoDB Local keeps dying); it has stopped by then. */
  readonly onFatal?: (message: string) => void;
  /** One line per event worth an operator's attention (engine exit, restart). @default console.error */
  readonly log?: (line: string) => void;
}

export interface LocalService {
  readonly url: string;
  readonly adminToken: string;
  readonly tokenCreated: boolean;
  readonly dataDir: string;
  readonly tables: Record<TableId, string>;
  readonly dynamoEndpoint: string;
  /** The access key ID that selects this service's private database in DynamoDB Local. */
  readonly dynamoAccessKeyId: string;
  stop(): Promise<void>;
}

type Handler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

const MAX_REQUEST_BYTES = 1_048_576;
/**
 * How long a stop leaves an idle keep-alive connection open for a request its client had already
 * sent (answered 503 with `Connection: close`, after which the connection closes by itself).
 * Loopback delivers such a request within a millisecond; a connection still idle after this
 * carries nothing, and is closed.
 */
const IDLE_GRACE_MS = 250;

/**
 * Where a running server's URL is kept in its data folder, and removed on stop: the CLI reads it
 * when nothing answers on the default URL (`npm start` with another PORT).
 */
const SERVER_URL_FILE = 'server-url';

function send(res: ServerResponse, result: APIGatewayProxyResult, close = false) {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(result.headers ?? {})) headers[name] = String(value);
  if (close) headers.connection = 'close';
  res.writeHead(result.statusCode, headers);
  res.end(result.isBase64Encoded ? Buffer.from(result.body, 'base64') : result.body);
}

const error = (statusCode: number, code: string, message: string): APIGatewayProxyResult => ({
  statusCode,
  headers: { ...NO_SNIFF, 'content-type': 'application/json', 'cache-control': 'no-store' },
  body: JSON.stringify({ error: { code, message } }),
});

function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolvePromise, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_REQUEST_BYTES) {
        resolvePromise(undefined);
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolvePromise(size > MAX_REQUEST_BYTES ? undefined : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

type Router = (parts: RequestParts) => Promise<APIGatewayProxyResult>;

/** A /demo 403 in words: which rule refused the key, from the authorizer's context. */
function refusalMessage(context: Record<string, string>, parts: RequestParts): string {
  const route = `${parts.method} ${parts.path}`;
  switch (context.code) {
    case 'INSUFFICIENT_PERMISSIONS':
      return `${route} needs the permission ${context.missingPermissions || 'it maps to'}, which the key's roles and permissions do not grant (a route the route map does not name needs api:read for GET, HEAD and OPTIONS, api:write otherwise)`;
    case 'IP_NOT_ALLOWED':
      return `the request comes from ${parts.sourceIp}, which is not in the key's IP allowlist`;
    case 'WORKSPACE_NOT_ALLOWED':
      return context.workspaceId
        ? `the workspace this request is for is not the key's workspace (${context.workspaceId})`
        : `the workspace this request is for is not among the key's workspaces (${context.workspaceIds})`;
    case 'USAGE_PLAN_PENDING':
      return "the key's usage plan is not ready yet; try again in a moment";
    default:
      return 'the key is not allowed to call this route';
  }
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    server.once('error', (cause: NodeJS.ErrnoException) => {
      reject(
        cause.code === 'EADDRINUSE'
          ? new StartupError(`port ${port} is already in use; set PORT to a free port`)
          : cause,
      );
    });
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      resolvePromise(typeof address === 'object' && address ? address.port : port);
    });
  });
}

/** Imports the handlers (a cold start: each reads its configuration now) and routes requests to them. */
async function router(adminToken: string): Promise<{
  route: Router;
  flushUsage: () => Promise<void>;
  sweep: () => Promise<void>;
  graceCheck: () => Promise<void>;
  reportsSettled: () => Promise<void>;
}> {
  const handlers = new Map<string, Handler>();
  const limiter = usagePlanLimiter();
  const publicLimiter = new PublicRouteLimiter(settings().LATCHKEY_PUBLIC_REQUESTS_PER_MINUTE);
  for (const name of [
    ...MANAGEMENT_ROUTES.map((r) => r.handler),
    ...PORTAL_ROUTES.map((r) => r.handler),
    READINESS_ROUTE.handler,
    'demo',
  ] as const) {
    const module = (await HANDLER_MODULES[name]()) as { handler: Handler };
    handlers.set(name, module.handler);
  }
  // Every answer names its request, as API Gateway's x-amzn-RequestId does, for a report or a log search.
  const invoke = async (name: string, event: APIGatewayProxyEvent) => {
    const requestId = event.requestContext.requestId;
    const result = await (handlers.get(name) as Handler)(event, lambdaContext(`latchkey-${name}`, requestId));
    return { ...result, headers: { ...result.headers, 'x-amzn-requestid': requestId } };
  };
  const authorizerModule = await HANDLER_MODULES.authorizer();
  const authorizer = authorizerModule.handler as unknown as (
    event: unknown,
    context: Context,
  ) => Promise<AuthorizerResult>;

  /** API Gateway's part for a protected route: call the authorizer, read its policy, answer as it would. */
  async function protectedRoute(parts: RequestParts): Promise<APIGatewayProxyResult> {
    const event = requestAuthorizerEvent(parts, '/demo/{proxy+}');
    let result: AuthorizerResult;
    try {
      result = await authorizer(event, lambdaContext('latchkey-authorizer', event.requestContext.requestId));
    } catch (cause) {
      // API Gateway answers a REST 401 with no body of the authorizer's; locally the code is shown.
      const code = (cause as { code?: unknown }).code;
      return (cause as Error).message === 'Unauthorized'
        ? error(401, typeof code === 'string' ? code : 'UNAUTHORIZED', 'Unauthorized')
        : error(500, 'AUTHORIZER_FAILURE', 'the authorizer failed; the request was not let through');
    }
    const policy = (result as { policyDocument?: PolicyDocument }).policyDocument;
    const context = (result.context ?? {}) as Record<string, string>;
    if (!policy || !policyAllows(policy, event.methodArn)) {
      return error(403, context.code ?? 'FORBIDDEN', refusalMessage(context, parts));
    }
    // API Gateway's usage plan, after the authorizer: the key's plan rides in the context.
    if (context.plan && context.keyId) {
      const limit = limiter.check(context.keyId, context.plan, context);
      if (!limit.allowed) {
        return {
          statusCode: limit.status,
          headers: {
            ...NO_SNIFF,
            'content-type': 'application/json',
            'cache-control': 'no-store',
            ...(limit.retryAfterSeconds ? { 'retry-after': String(limit.retryAfterSeconds) } : {}),
          },
          body: JSON.stringify({ message: limit.message }),
        };
      }
    }
    const proxy = restProxyEvent(
      parts,
      '/demo/{proxy+}',
      { proxy: parts.path.slice('/demo/'.length) },
      {
        ...context,
        principalId: (result as { principalId?: string }).principalId,
      },
    );
    return invoke('demo', proxy);
  }

  const route: Router = async (parts) => {
    if (parts.path === READINESS_ROUTE.path && parts.method === READINESS_ROUTE.method) {
      return invoke(READINESS_ROUTE.handler, restProxyEvent(parts, READINESS_ROUTE.path, null, null));
    }
    if (parts.path.startsWith('/demo/')) return protectedRoute(parts);
    // The portal: its landing and its API answer for themselves (a one-time code, a session cookie).
    if (parts.path === '/portal/enter' || parts.path.startsWith('/portal/api/')) {
      let pathMatched = false;
      for (const r of PORTAL_ROUTES) {
        const params = matchRoute(r.path, parts.path);
        if (!params) continue;
        pathMatched = true;
        if (r.method === parts.method) return invoke(r.handler, restProxyEvent(parts, r.path, params, null));
      }
      return pathMatched
        ? error(405, 'METHOD_NOT_ALLOWED', `${parts.method} is not supported on ${parts.path}`)
        : error(404, 'NOT_FOUND', `no route for ${parts.method} ${parts.path}`);
    }
    // A public route authenticates its callers itself (GitHub's signature), or needs no one to:
    // no admin token, and a per-address limit as the WAF's in AWS.
    for (const r of MANAGEMENT_ROUTES) {
      const params = r.public && r.method === parts.method ? matchRoute(r.path, parts.path) : undefined;
      if (!params) continue;
      const wait = publicLimiter.check(parts.sourceIp, `${r.method} ${r.path}`);
      if (wait !== undefined) {
        const limited = error(
          429,
          'RATE_LIMITED',
          'too many requests from this address to this route; try again later',
        );
        return { ...limited, headers: { ...limited.headers, 'retry-after': String(wait) } };
      }
      return invoke(r.handler, restProxyEvent(parts, r.path, params, null));
    }
    if (parts.path === '/v1' || parts.path.startsWith('/v1/')) {
      // API Gateway's IAM auth in AWS; the admin token here.
      const authorization = Object.entries(parts.headers).find(
        ([k]) => k.toLowerCase() === 'authorization',
      )?.[1];
      const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
      if (!tokenMatches(token, adminToken)) {
        return error(401, 'UNAUTHORIZED', 'send the admin token as "Authorization: Bearer <token>"');
      }
      let pathMatched = false;
      for (const r of MANAGEMENT_ROUTES) {
        const params = matchRoute(r.path, parts.path);
        if (!params) continue;
        pathMatched = true;
        if (r.method === parts.method) {
          return invoke(r.handler, restProxyEvent(parts, r.path, params, { principalId: 'local-admin' }));
        }
      }
      if (pathMatched)
        return error(405, 'METHOD_NOT_ALLOWED', `${parts.method} is not supported on ${parts.path}`);
    }
    const page = await dashboardResponse(parts.method, parts.path); // dashboard (web/): every other GET
    if (page) return page;
    return error(404, 'NOT_FOUND', `no route for ${parts.method} ${parts.path}`);
  };
  const sweepModule = await HANDLER_MODULES['sweep-scheduled']();
  const graceModule = await HANDLER_MODULES['grace-check']();
  const reportsModule = await HANDLER_MODULES['credentials-revoke']();
  /** A scheduled job, called with the event an EventBridge schedule would send. */
  const scheduled =
    (name: string, handler: (event: ScheduledEvent, context: Context) => Promise<unknown>) => async () => {
      const id = randomUUID();
      await handler(
        {
          version: '0',
          id,
          'detail-type': 'Scheduled Event',
          source: 'aws.events',
          account: '000000000000',
          time: new Date().toISOString(),
          region: 'local',
          resources: [`arn:aws:events:local:000000000000:rule/${name}`],
          detail: {},
        },
        lambdaContext(name, id),
      );
    };
  return {
    route,
    flushUsage: authorizerModule.flushUsage,
    sweep: scheduled('latchkey-rotation-sweep', sweepModule.handler),
    graceCheck: scheduled('latchkey-grace-check', graceModule.handler),
    reportsSettled: reportsModule.settled,
  };
}
/**
 * The local usage plans (LATCHKEY_PLANS) for /demo: their counts answer GET /v1/keys/{keyId}/quota,
 * and a key reaching 80% or 100% of its quota publishes "API Key Quota Threshold" once per period.
 */
function usagePlanLimiter() {
  const events = eventPublisher();
  const limiter = new PlanLimiter(parsePlans(settings().LATCHKEY_PLANS));
  useLocalQuotaCounter((keyId, plan) => limiter.used(keyId, plan));
  return {
    check(keyId: string, plan: string, context: Record<string, string>) {
      const decision = limiter.check(keyId, plan);
      if (decision.allowed && decision.reached.length) {
        const key = {
          keyId,
          name: context.name ?? keyId,
          owner: context.owner ?? '',
          type: context.type ?? '',
          environment: context.environment ?? '',
        };
        const at = new Date().toISOString();
        events
          .publish(decision.reached.map((reached) => quotaThresholdEvent(key, reached, at)))
          .catch((cause) => {
            for (const reached of decision.reached) limiter.forget(reached);
            logger.error('quota event not published; reported again on the next request', {
              errorName: (cause as Error)?.name,
            });
          });
      }
      return decision;
    },
  };
}

/** Runs `job` every `seconds` without keeping the process alive; a failure goes to `failed`. */
function every(
  seconds: number,
  job: () => Promise<unknown> | undefined,
  failed: (cause: unknown) => void,
): NodeJS.Timeout {
  const timer = setInterval(() => void job()?.catch(failed), seconds * 1000);
  timer.unref();
  return timer;
}

const ignore = () => undefined;

/**
 * Runs the whole service on this machine: DynamoDB Local, the tables, and the same Lambda
 * handlers called with API Gateway-shaped events. The settings it gives them (configure()) are
 * the process's, as a Lambda's environment is, so one process hosts one local service.
 */
export async function startLocal(options: LocalOptions = {}): Promise<LocalService> {
  const log = options.log ?? ((line: string) => console.error(line));
  /** Logs a failure of background work as one JSON error line. */
  const logged = (message: string) => (cause: unknown) =>
    log(JSON.stringify({ level: 'ERROR', message, error: String(cause) }));
  let route: Router | undefined;
  let stopping: Promise<void> | undefined;
  let inFlight = 0;
  let drained: (() => void) | undefined;
  try {
    parsePlans(settings().LATCHKEY_PLANS);
  } catch (cause) {
    throw new StartupError((cause as Error).message);
  }
  /** This server's own names (set once it listens): a page whose name was rebound to 127.0.0.1 is refused. */
  let hosts = new Set<string>();
  const server: Server = createServer(async (req, res) => {
    if (!hosts.has((req.headers.host ?? '').toLowerCase())) {
      req.resume();
      send(res, error(421, 'MISDIRECTED', `this server answers only as ${[...hosts].join(' or ')}`));
      return;
    }
    // Once stopping, a request that arrives on an open keep-alive connection is turned away,
    // after its body is read: closing with bytes unread would reset the connection, answer and all.
    if (stopping) {
      req.resume();
      req.once('end', () => send(res, error(503, 'SERVICE_UNAVAILABLE', 'the server is stopping'), true));
      return;
    }
    inFlight++;
    try {
      const body = await readBody(req);
      const close = stopping !== undefined;
      if (!body)
        send(
          res,
          error(413, 'PAYLOAD_TOO_LARGE', `request body is larger than ${MAX_REQUEST_BYTES} bytes`),
          close,
        );
      else if (!route) send(res, error(503, 'SERVICE_UNAVAILABLE', 'starting; try again in a moment'), close);
      else {
        const result = await route(requestParts(req, body));
        send(res, result, stopping !== undefined);
      }
    } catch (cause) {
      log(JSON.stringify({ level: 'ERROR', message: 'local server error', error: String(cause) }));
      if (!res.headersSent) send(res, error(500, 'INTERNAL', 'internal error'), stopping !== undefined);
      else res.end();
    } finally {
      inFlight--;
      if (inFlight === 0) drained?.();
    }
  });
  /** Open connections, so a stop can wait for keep-alive ones to close; `allClosed` is told when none is left. */
  const connections = new Set<Socket>();
  let allClosed: (() => void) | undefined;
  server.on('connection', (socket: Socket) => {
    connections.add(socket);
    socket.once('close', () => {
      connections.delete(socket);
      if (connections.size === 0) allClosed?.();
    });
  });
  // The port is claimed first, so a taken port fails at once, before Java starts.
  const port = await listen(server, options.port ?? 8787);
  const url = `http://127.0.0.1:${port}`;
  hosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);

  const memory = options.memory ?? false;
  const dataDir = memory
    ? await mkdtemp(join(tmpdir(), 'latchkey-'))
    : resolve(options.dataDir ?? '.latchkey');
  const prefix = options.tablePrefix ?? 'latchkey-';
  const tables = Object.fromEntries(Object.keys(TABLES).map((id) => [id, `${prefix}${id}`])) as Record<
    TableId,
    string
  >;
  let dynamo: EmbeddedDynamo | undefined;
  let flushUsage: (() => Promise<void>) | undefined;
  let reportsSettled: (() => Promise<void>) | undefined;
  let usageTimer: NodeJS.Timeout | undefined;
  let sweepTimer: NodeJS.Timeout | undefined;
  let graceTimer: NodeJS.Timeout | undefined;
  let restartTimer: NodeJS.Timeout | undefined;
  let adminToken: { value: string; created: boolean };
  let endpoint: string;
  let accessKeyId: string;
  const dbPath = memory ? undefined : join(dataDir, 'dynamodb');

  async function stop(): Promise<void> {
    // Stop taking connections at once, and answer every request from now on 503 with
    // `Connection: close`; let the requests in flight finish (within the bound), give idle
    // keep-alive connections a moment to deliver a request their client already sent, close what
    // is left, write the usage counts, then stop the database. http's own close() would destroy
    // idle connections at once, and a request already on its way on one would meet a reset:
    // net's close() only stops listening.
    const timeoutMs = options.stopTimeoutMs ?? 10_000;
    const closed = new Promise<void>((resolvePromise) =>
      NetServer.prototype.close.call(server, () => resolvePromise()),
    );
    const within = (ms: number, done: (resolve: () => void) => void) =>
      new Promise<void>((resolvePromise) => {
        const timer = setTimeout(resolvePromise, ms);
        done(() => {
          clearTimeout(timer);
          resolvePromise();
        });
      });
    if (inFlight > 0) await within(timeoutMs, (resolve) => (drained = resolve));
    if (connections.size > 0)
      await within(Math.min(IDLE_GRACE_MS, timeoutMs), (resolve) => (allClosed = resolve));
    server.closeAllConnections();
    await closed;
    clearInterval(usageTimer);
    clearInterval(sweepTimer);
    clearInterval(graceTimer);
    clearTimeout(restartTimer);
    // Reports already answered 202 are checked before the database stops.
    await reportsSettled?.().catch(logged('reports not checked on stop'));
    await flushUsage?.().catch(logged('usage not flushed on stop'));
    await dynamo?.stop();
    if (memory) await rm(dataDir, { recursive: true, force: true });
    else await rm(join(dataDir, SERVER_URL_FILE), { force: true });
  }
  const stopOnce = () => {
    stopping ??= stop();
    return stopping;
  };

  /**
   * DynamoDB Local is supervised: when it exits by itself it is started again on the same port,
   * data folder and database, with backoff; after `engineRestarts` failures the service stops.
   */
  const restarts = options.engineRestarts ?? 5;
  function supervise(attempt: number, detail: string) {
    if (stopping) return;
    if (attempt > restarts) {
      const message = `DynamoDB Local keeps exiting (${detail}); gave up after ${restarts} restarts`;
      log(JSON.stringify({ level: 'ERROR', message }));
      void stopOnce().then(() => options.onFatal?.(message));
      return;
    }
    const delay = Math.min(250 * 2 ** (attempt - 1), 8_000);
    log(
      JSON.stringify({
        level: 'ERROR',
        message: `DynamoDB Local ${detail}; restarting in ${delay} ms (attempt ${attempt} of ${restarts})`,
      }),
    );
    restartTimer = setTimeout(() => {
      if (stopping) return;
      const startedAt = Date.now();
      // An engine that dies again within 30 s of a restart counts as a failed restart.
      startEngine(enginePort, (d) =>
        supervise(Date.now() - startedAt < 30_000 ? attempt + 1 : 1, `exited (${d})`),
      )
        .then(async (engine) => {
          dynamo = engine;
          if (stopping) return engine.stop();
          const client = localClient(engine.endpoint, accessKeyId);
          await ensureTables(client, tables).finally(() => client.destroy());
          log(JSON.stringify({ level: 'INFO', message: 'DynamoDB Local is running again' }));
        })
        .catch((cause) => supervise(attempt + 1, `failed to restart: ${String(cause)}`));
    }, delay);
    restartTimer.unref();
  }
  /** The engine keeps its first port across restarts: the handlers' endpoint is fixed at init. */
  let enginePort: number | undefined;
  const startEngine = (atPort: number | undefined, onExit: (detail: string) => void) =>
    startDynamoLocal({ dbPath, accessKeyId, port: atPort, onExit });

  try {
    const credentials = await localCredentials(dataDir, options.adminToken);
    adminToken = { value: credentials.adminToken, created: credentials.tokenCreated };
    accessKeyId = credentials.dynamoAccessKeyId;
    if (!options.dynamoEndpoint) {
      dynamo = await startEngine(undefined, (detail) => supervise(1, `exited (${detail})`));
      enginePort = dynamo.port;
    }
    endpoint = options.dynamoEndpoint ?? (dynamo as EmbeddedDynamo).endpoint;
    // An engine of the user's own keeps whatever credentials it was given; ours gets a private one.
    if (options.dynamoEndpoint) accessKeyId = settings().LATCHKEY_DYNAMODB_ACCESS_KEY_ID;
    const client = localClient(endpoint, accessKeyId);
    await ensureTables(client, tables);
    client.destroy();

    configure({
      LATCHKEY_DYNAMODB_ENDPOINT: endpoint,
      LATCHKEY_DYNAMODB_ACCESS_KEY_ID: accessKeyId,
      LATCHKEY_PEPPER_FILE: credentials.pepperFile,
      ...Object.fromEntries(Object.entries(tables).map(([id, name]) => [tableEnvVar(id as TableId), name])),
      POWERTOOLS_METRICS_DISABLED: settings().POWERTOOLS_METRICS_DISABLED ?? 'true',
      // DynamoDB Local on a laptop is far slower than DynamoDB under a burst of transactions.
      LATCHKEY_DYNAMODB_TIMEOUT_MS: String(settings().LATCHKEY_DYNAMODB_TIMEOUT_MS ?? 15_000),
      LATCHKEY_PORTAL_URL: options.portalUrl ?? `http://127.0.0.1:${port}`,
    });
    // Key items from an older version get what this one derives (a new index's attribute) once.
    await keyMigration().step();
    const routing = await router(credentials.adminToken);
    route = routing.route;
    flushUsage = routing.flushUsage;
    // A flush's failed writes are reported by the usage counter itself.
    usageTimer = every(Math.max(1, settings().LATCHKEY_USAGE_FLUSH_SECONDS), () => flushUsage?.(), ignore);
    sweepTimer = every(settings().LATCHKEY_SWEEP_INTERVAL_SECONDS, routing.sweep, logged('sweep failed'));
    reportsSettled = routing.reportsSettled;
    // "API Key Still In Use" within a minute of its hour (in AWS, a schedule every 5 minutes).
    graceTimer = every(
      settings().LATCHKEY_GRACE_CHECK_INTERVAL_SECONDS,
      routing.graceCheck,
      logged('grace check failed'),
    );
    if (!memory) await writeFile(join(dataDir, SERVER_URL_FILE), `${url}\n`);
  } catch (cause) {
    server.close();
    await dynamo?.stop();
    if (memory) await rm(dataDir, { recursive: true, force: true });
    throw cause;
  }

  return {
    url,
    adminToken: adminToken.value,
    tokenCreated: adminToken.created,
    dataDir,
    tables,
    dynamoEndpoint: endpoint,
    dynamoAccessKeyId: accessKeyId,
    stop: stopOnce,
  };
}
