import type {
  APIGatewayRequestAuthorizerEvent,
  APIGatewayRequestAuthorizerEventV2,
  APIGatewayTokenAuthorizerEvent,
} from 'aws-lambda';

/** Authorizer events in the shapes AWS documents, varied only where a test needs it. */
export const API = 'arn:aws:execute-api:us-east-1:123456789012:abcdef123/prod';

export interface Call {
  method: string;
  path: string;
  /** The API's resource path the request matched (REST `resource`); the path itself by default. */
  resource?: string;
  headers?: Record<string, string>;
  sourceIp?: string;
  pathParameters?: Record<string, string>;
}

export function tokenEvent(call: Call, token: string | undefined): APIGatewayTokenAuthorizerEvent {
  return { type: 'TOKEN', authorizationToken: token ?? '', methodArn: `${API}/${call.method}${call.path}` };
}

export function requestEvent(call: Call): APIGatewayRequestAuthorizerEvent {
  return {
    type: 'REQUEST',
    methodArn: `${API}/${call.method}${call.path}`,
    resource: call.resource ?? call.path,
    path: call.path,
    httpMethod: call.method,
    headers: call.headers ?? {},
    multiValueHeaders: Object.fromEntries(Object.entries(call.headers ?? {}).map(([k, v]) => [k, [v]])),
    pathParameters: call.pathParameters ?? {},
    queryStringParameters: {},
    multiValueQueryStringParameters: {},
    stageVariables: {},
    requestContext: {
      accountId: '123456789012',
      apiId: 'abcdef123',
      httpMethod: call.method,
      identity: { sourceIp: call.sourceIp ?? '203.0.113.10', userAgent: 'test' },
      path: `/prod${call.path}`,
      protocol: 'HTTP/1.1',
      requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
      requestTimeEpoch: 1428582896000,
      resourceId: 'abc123',
      resourcePath: call.resource ?? call.path,
      stage: 'prod',
    },
  } as unknown as APIGatewayRequestAuthorizerEvent;
}

export function httpEvent(call: Call): APIGatewayRequestAuthorizerEventV2 {
  const headers = Object.fromEntries(
    Object.entries(call.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]),
  );
  return {
    version: '2.0',
    type: 'REQUEST',
    routeArn: `${API}/${call.method}${call.path}`,
    identitySource: Object.values(headers),
    routeKey: `${call.method} ${call.path}`,
    rawPath: call.path,
    rawQueryString: '',
    cookies: [],
    headers,
    queryStringParameters: {},
    pathParameters: call.pathParameters ?? {},
    stageVariables: {},
    requestContext: {
      accountId: '123456789012',
      apiId: 'abcdef123',
      domainName: 'id.execute-api.us-east-1.amazonaws.com',
      domainPrefix: 'id',
      http: {
        method: call.method,
        path: call.path,
        protocol: 'HTTP/1.1',
        sourceIp: call.sourceIp ?? '203.0.113.10',
        userAgent: 'test',
      },
      requestId: 'id',
      routeKey: `${call.method} ${call.path}`,
      stage: 'prod',
      time: '12/Mar/2020:19:03:58 +0000',
      timeEpoch: 1583348638390,
    },
  } as unknown as APIGatewayRequestAuthorizerEventV2;
}
