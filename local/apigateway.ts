import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { APIGatewayProxyEvent, APIGatewayRequestAuthorizerEvent, Context } from 'aws-lambda';

/** What a Lambda handler receives besides its event, as the Lambda runtime would give it. */
export function lambdaContext(functionName: string, requestId: string): Context {
  const deadline = Date.now() + 30_000;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

export interface RequestParts {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: Record<string, string>;
  readonly multiValueHeaders: Record<string, string[]>;
  readonly sourceIp: string;
  readonly body: Buffer;
}

/**
 * Maps keyed by what a client sent (header and query names) have no prototype, so a name like
 * `__proto__` or `constructor` is just a name, as in the JSON event Lambda parses in AWS.
 */
const dictionary = <T>(): Record<string, T> => Object.create(null) as Record<string, T>;

export function requestParts(req: IncomingMessage, body: Buffer): RequestParts {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const headers = dictionary<string>();
  const multiValueHeaders = dictionary<string[]>();
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i] as string;
    const value = req.rawHeaders[i + 1] as string;
    headers[name] = headers[name] === undefined ? value : `${headers[name]},${value}`;
    multiValueHeaders[name] = [...(multiValueHeaders[name] ?? []), value];
  }
  return {
    method: (req.method ?? 'GET').toUpperCase(),
    path: url.pathname,
    query: url.searchParams,
    headers,
    multiValueHeaders,
    sourceIp: (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, ''),
    body,
  };
}

/**
 * The REST API (v1) proxy event API Gateway would send for this request, so the local server
 * calls the handlers with exactly the shape they get in AWS.
 */
export function restProxyEvent(
  parts: RequestParts,
  resource: string,
  pathParameters: Record<string, string> | null,
  authorizer: Record<string, unknown> | null,
): APIGatewayProxyEvent {
  const query = dictionary<string>();
  const multiQuery = dictionary<string[]>();
  for (const [k, v] of parts.query) {
    query[k] = v;
    multiQuery[k] = [...(multiQuery[k] ?? []), v];
  }
  const text = parts.body.length === 0 ? null : parts.body.toString('utf8');
  const utf8 = text !== null && Buffer.from(text, 'utf8').equals(parts.body);
  const now = Date.now();
  return {
    resource,
    path: parts.path,
    httpMethod: parts.method,
    headers: parts.headers,
    multiValueHeaders: parts.multiValueHeaders,
    queryStringParameters: Object.keys(query).length ? query : null,
    multiValueQueryStringParameters: Object.keys(multiQuery).length ? multiQuery : null,
    pathParameters: pathParameters && Object.keys(pathParameters).length ? pathParameters : null,
    stageVariables: null,
    body: text === null ? null : utf8 ? text : parts.body.toString('base64'),
    isBase64Encoded: text !== null && !utf8,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      authorizer,
      domainName: 'localhost',
      domainPrefix: 'localhost',
      httpMethod: parts.method,
      identity: {
        accessKey: null,
        accountId: null,
        apiKey: null,
        apiKeyId: null,
        caller: null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: parts.sourceIp,
        user: null,
        userAgent: parts.headers['user-agent'] ?? parts.headers['User-Agent'] ?? null,
        userArn: null,
      },
      path: `/local${parts.path}`,
      protocol: 'HTTP/1.1',
      requestId: randomUUID(),
      requestTimeEpoch: now,
      resourceId: 'local',
      resourcePath: resource,
      stage: 'local',
    },
  };
}

export const LOCAL_API_ARN = 'arn:aws:execute-api:local:000000000000:local/local';

/** The REST API REQUEST authorizer event API Gateway would send before calling the route. */
export function requestAuthorizerEvent(
  parts: RequestParts,
  resource: string,
): APIGatewayRequestAuthorizerEvent {
  const proxy = restProxyEvent(parts, resource, null, null);
  return {
    type: 'REQUEST',
    methodArn: `${LOCAL_API_ARN}/${parts.method}${parts.path}`,
    resource,
    path: proxy.path,
    httpMethod: proxy.httpMethod,
    headers: proxy.headers as Record<string, string>,
    multiValueHeaders: proxy.multiValueHeaders as Record<string, string[]>,
    pathParameters: proxy.pathParameters as Record<string, string> | null,
    queryStringParameters: proxy.queryStringParameters as Record<string, string> | null,
    multiValueQueryStringParameters: proxy.multiValueQueryStringParameters as Record<string, string[]> | null,
    stageVariables: null,
    requestContext: { ...proxy.requestContext, authorizer: undefined },
  };
}
