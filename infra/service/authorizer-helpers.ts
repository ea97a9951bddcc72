import { type Duration, Stack } from 'aws-cdk-lib';
import {
  type IAuthorizer,
  type IdentitySource,
  RequestAuthorizer,
  ResponseType,
  type RestApi,
  TokenAuthorizer,
} from 'aws-cdk-lib/aws-apigateway';
import { HttpLambdaAuthorizer, HttpLambdaResponseType } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { type IFunction, Function as LambdaFunctionRef } from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import type { LatchkeyFunction } from '../latchkey-function.ts';
import { GATEWAY_RESPONSE_HEADERS } from './management-api-defaults.ts';
import type { WorkspaceSource } from './props.ts';
import { requireUsagePlanKeys } from './usage-plans.ts';

export interface RestAuthorizerOptions {
  /** @default 'REQUEST' */
  readonly type?: 'TOKEN' | 'REQUEST';
  /** @default none uncached; with caching, the key header, caller IP, resource path and method */
  readonly identitySources?: string[];
}

export interface HttpAuthorizerOptions {
  /** Make the key header an identity source (401 without it). @default false */
  readonly requireKeyHeader?: boolean;
}

export interface AuthorizerSettings {
  readonly cacheTtl: Duration;
  readonly workspaceSource: WorkspaceSource | undefined;
  readonly keyHeader: string;
  /** Usage plans are deployed: REST APIs take their key from the authorizer, and require one. */
  readonly usagePlans?: boolean;
}

/**
 * Attaches the one authorizer function to consumers' REST and HTTP APIs, once per API (and per
 * type or ID), with identity sources that match its cache settings.
 */
export class AuthorizerAttachments {
  private readonly cacheTtl: Duration;
  private readonly workspaceSource: WorkspaceSource | undefined;
  private readonly keyHeader: string;
  private readonly usagePlans: boolean;
  private readonly restAuthorizers = new Map<string, IAuthorizer>();
  private readonly httpAuthorizers = new Map<string, HttpLambdaAuthorizer>();

  constructor(
    private readonly authorizer: LatchkeyFunction,
    settings: AuthorizerSettings,
  ) {
    this.cacheTtl = settings.cacheTtl;
    this.workspaceSource = settings.workspaceSource;
    this.keyHeader = settings.keyHeader;
    this.usagePlans = settings.usagePlans ?? false;
  }

  /**
   * Attaches the authorizer to one of your REST APIs (TOKEN or REQUEST), with gateway responses
   * that carry the refusal code. Idempotent per API and type: calling it again for the same API
   * returns the authorizer it made the first time, so every method can ask for it.
   */
  restAuthorizer(api: RestApi, options: RestAuthorizerOptions = {}): IAuthorizer {
    const type = options.type ?? 'REQUEST';
    if (type === 'TOKEN' && this.workspaceSource && !this.workspaceSource.startsWith('fixed:')) {
      throw new Error(
        'ApiKeyService: a TOKEN authorizer sees no headers or path; use REQUEST with a header or path workspace source',
      );
    }
    const scope = Stack.of(api);
    const id = `${api.node.id}Latchkey${type === 'TOKEN' ? 'Token' : ''}Authorizer`;
    const existing = this.restAuthorizers.get(`${api.node.path}#${type}`);
    if (existing) return existing;
    if (!api.node.tryFindChild('LatchkeyUnauthorized')) {
      api.addGatewayResponse('LatchkeyUnauthorized', {
        type: ResponseType.UNAUTHORIZED,
        statusCode: '401',
        responseHeaders: GATEWAY_RESPONSE_HEADERS,
        templates: {
          'application/json': '{"error":{"code":"UNAUTHORIZED","message":"a valid API key is required"}}',
        },
      });
      api.addGatewayResponse('LatchkeyDenied', {
        type: ResponseType.ACCESS_DENIED,
        statusCode: '403',
        responseHeaders: GATEWAY_RESPONSE_HEADERS,
        templates: {
          'application/json':
            '{"error":{"code":"$context.authorizer.code","message":"the API key is not allowed to call this route"}}',
        },
      });
    }
    const handler = this.authorizerIn(scope, id);
    const authorizer =
      type === 'TOKEN'
        ? new TokenAuthorizer(scope, id, {
            handler,
            identitySource: `method.request.header.${this.keyHeader}`,
            resultsCacheTtl: this.cacheTtl,
          })
        : new RequestAuthorizer(scope, id, {
            handler,
            identitySources: (options.identitySources ?? this.requestIdentitySources()) as IdentitySource[] &
              string[],
            resultsCacheTtl: this.cacheTtl,
          });
    this.restAuthorizers.set(`${api.node.path}#${type}`, authorizer);
    if (this.usagePlans) requireUsagePlanKeys(api, authorizer);
    return authorizer;
  }

  /**
   * The authorizer function as seen from `scope`: itself in this stack; elsewhere an imported
   * reference, so the invoke permission lives with the consumer's API and no stack cycle forms.
   */
  private authorizerIn(scope: Construct, id: string): IFunction {
    const stack = Stack.of(scope);
    if (stack === Stack.of(this.authorizer)) return this.authorizer;
    const existing = stack.node.tryFindChild(`${id}Function`) as IFunction | undefined;
    return (
      existing ??
      LambdaFunctionRef.fromFunctionAttributes(stack, `${id}Function`, {
        functionArn: this.authorizer.functionArn,
        sameEnvironment: true,
      })
    );
  }

  /**
   * An HTTP API authorizer (payload 2.0, simple responses) backed by the same function, for an
   * API in `scope`. Idempotent per scope and `id`: the same call returns the same authorizer, to
   * attach to every route of one HTTP API; give each further HTTP API its own `id`.
   *
   * Uncached, API Gateway calls the authorizer for every request, whichever header carries the
   * key, and a missing key answers 403 `MISSING`. With `requireKeyHeader` (or caching on), the
   * key header is an identity source: a request without it gets 401 and never reaches the
   * function, and clients must send the key in that header (`keyHeader`).
   */
  httpAuthorizer(
    scope: Construct,
    id = 'LatchkeyHttpAuthorizer',
    options: HttpAuthorizerOptions = {},
  ): HttpLambdaAuthorizer {
    const cacheKey = `${scope.node.path}#${id}`;
    const existing = this.httpAuthorizers.get(cacheKey);
    if (existing) return existing;
    const header = this.workspaceSource?.startsWith('header:')
      ? [`$request.header.${this.workspaceSource.slice(7)}`]
      : [];
    const cached = this.cacheTtl.toSeconds() > 0;
    const authorizer = new HttpLambdaAuthorizer(id, this.authorizerIn(scope, id), {
      responseTypes: [HttpLambdaResponseType.SIMPLE],
      resultsCacheTtl: this.cacheTtl,
      // Cached, the key, the request's method and path (what the answer is decided on, not the
      // route: one route can cover paths with different rules), the caller IP and workspace header.
      identitySource: cached
        ? [
            `$request.header.${this.keyHeader}`,
            '$context.httpMethod',
            '$context.path',
            '$context.identity.sourceIp',
            ...header,
          ]
        : options.requireKeyHeader
          ? [`$request.header.${this.keyHeader}`]
          : [],
    });
    this.httpAuthorizers.set(cacheKey, authorizer);
    return authorizer;
  }

  private requestIdentitySources(): string[] {
    if (this.cacheTtl.toSeconds() === 0) return [];
    const sources = [
      `method.request.header.${this.keyHeader}`,
      'context.identity.sourceIp',
      'context.resourcePath',
      'context.httpMethod',
    ];
    if (this.workspaceSource?.startsWith('header:'))
      sources.push(`method.request.header.${this.workspaceSource.slice(7)}`);
    return sources;
  }
}
