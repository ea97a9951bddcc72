import { RemovalPolicy } from 'aws-cdk-lib';
import {
  AuthorizationType,
  type CfnAccount,
  LambdaIntegration,
  LogGroupLogDestination,
  type Method,
  type MethodOptions,
  ResponseType,
  RestApi,
  type Stage,
} from 'aws-cdk-lib/aws-apigateway';
import { Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import {
  MANAGEMENT_ROUTES,
  type ManagementPermission,
  READINESS_ROUTE,
  type RouteDef,
} from '../../functions/routes.ts';
import type { ServiceFunctionFactory, ServiceFunctionOptions } from './function-factory.ts';
import { acknowledgePublicMethod, leakFunctionOptions, publicMethodOptions } from './leak-report.ts';
import {
  FUNCTION_SIZING,
  GATEWAY_RESPONSE_HEADERS,
  MANAGEMENT_API_DEFAULTS,
  MANAGEMENT_STAGE_DEFAULTS,
  MANAGEMENT_THROTTLING,
  NO_TEST_INVOKE,
  READINESS_CACHE_SECONDS,
} from './management-api-defaults.ts';
import type { LeakReportOptions, WafOptions } from './props.ts';
import { createWebAcl } from './waf.ts';

export interface ManagementApiSettings {
  readonly name: string;
  /** How long the access logs are kept: as long as the audit trail unless `accessLogRetention` says otherwise. */
  readonly accessLogRetention: RetentionDays;
  readonly throttling?: { readonly rateLimit: number; readonly burstLimit: number };
  readonly functions: ServiceFunctionFactory;
  readonly leakReport?: LeakReportOptions;
  readonly waf?: WafOptions;
  /**
   * The portal: where its links point, and its API's stage (guarded by the same web ACL).
   * @default undefined (no portal, and no portal session routes)
   */
  readonly portal?: { readonly url: string; readonly stage: Stage };
}

/** `POST`/`DELETE /v1/portal/sessions`: served only where there is a portal to make links for. */
const isPortalSessionRoute = (route: RouteDef) => route.path.startsWith('/v1/portal/');

/** The management routes API Gateway serves: not the local-only ones, nor the portal's without a portal. */
export const servedRoutes = (portal: boolean) =>
  MANAGEMENT_ROUTES.filter((r) => !r.localOnly && (portal || !isPortalSessionRoute(r)));

/**
 * The management API: IAM (SigV4) on every method, validated requests, access logs, throttling;
 * one function per route handler, an open readiness probe, and a WAF web ACL that rate-limits each
 * public method per IP.
 */
export function createManagementApi(scope: Construct, settings: ManagementApiSettings) {
  const accessLogs = new LogGroup(scope, 'ApiAccessLogs', {
    retention: settings.accessLogRetention,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  const throttling = settings.throttling ?? MANAGEMENT_THROTTLING;
  const api = new RestApi(scope, 'ManagementApi', {
    ...MANAGEMENT_API_DEFAULTS,
    restApiName: `${settings.name}-management`,
    description: 'Latchkey management API: keys, roles, usage, audit, rotation.',
    defaultMethodOptions: { authorizationType: AuthorizationType.IAM },
    deployOptions: {
      ...MANAGEMENT_STAGE_DEFAULTS,
      accessLogDestination: new LogGroupLogDestination(accessLogs),
      throttlingRateLimit: throttling.rateLimit,
      throttlingBurstLimit: throttling.burstLimit,
      methodOptions: publicMethodOptions(MANAGEMENT_ROUTES, settings.leakReport),
    },
  });
  addErrorResponses(api);
  const routes = servedRoutes(settings.portal !== undefined);
  const methods = addRouteMethods(
    api,
    routes,
    (route) =>
      settings.functions.forHandler(
        leakFunctionOptions(route.handler, settings.leakReport) ?? routeFunction(route, settings.portal?.url),
      ),
    (route) => (route.public ? { authorizationType: AuthorizationType.NONE } : {}),
  );
  for (const { route, method } of methods) acknowledgePublicMethod(method, route);
  const health = settings.functions.make({
    handler: READINESS_ROUTE.handler,
    environment: { LATCHKEY_HEALTH_CACHE_SECONDS: String(READINESS_CACHE_SECONDS) },
  });
  const healthMethod: Method = api.root
    .resourceForPath(READINESS_ROUTE.path)
    .addMethod(READINESS_ROUTE.method, new LambdaIntegration(health, NO_TEST_INVOKE), {
      authorizationType: AuthorizationType.NONE,
    });
  const webAcl = createWebAcl(
    scope,
    settings.name,
    { management: api.deploymentStage, portal: settings.portal?.stage },
    settings.waf,
  );
  // The account's API Gateway logging role (`cloudWatchRole`), which the portal's stage logs through too.
  const account = api.node.tryFindChild('Account') as CfnAccount | undefined;
  if (!account) throw new Error('ApiKeyService: the management API made no API Gateway account settings');
  /** Grants `execute-api:Invoke` on exactly the served routes under `permission`. */
  const grantRoutes = (grantee: IGrantable, permission: ManagementPermission) =>
    Grant.addToPrincipal({
      grantee,
      actions: ['execute-api:Invoke'],
      resourceArns: routes
        .filter((r) => r.permission === permission)
        .map((r) =>
          api.arnForExecuteApi(r.method, r.path.replace(/\{[^}]+\}/g, '*'), api.deploymentStage.stageName),
        ),
    });
  return { api, account, healthMethod, webAcl, grantRoutes };
}

/**
 * API Gateway's own refusals on `api` (no IAM signature, throttled, blocked by the web ACL, too
 * large, no such route) in the API's error shape, with the headers of every answer of the functions.
 */
export function addErrorResponses(api: RestApi): void {
  for (const [id, type] of [
    ['Default4xx', ResponseType.DEFAULT_4XX],
    ['Default5xx', ResponseType.DEFAULT_5XX],
  ] as const) {
    api.addGatewayResponse(id, {
      type,
      responseHeaders: GATEWAY_RESPONSE_HEADERS,
      templates: {
        'application/json':
          '{"error":{"code":"$context.error.responseType","message":$context.error.messageString,"requestId":"$context.requestId"}}',
      },
    });
  }
}

/**
 * One method per route on `api`: its function (`functionFor`) invoked from the stage only, its
 * request's body and parameters validated, with `optionsFor`'s method options. Returns each route
 * with its method.
 */
export function addRouteMethods<Route extends { readonly method: string; readonly path: string }>(
  api: RestApi,
  routes: readonly Route[],
  functionFor: (route: Route) => IFunction,
  optionsFor: (route: Route) => MethodOptions,
): { route: Route; method: Method }[] {
  const requestValidator = api.addRequestValidator('Validator', {
    validateRequestBody: true,
    validateRequestParameters: true,
  });
  return routes.map((route) => ({
    route,
    method: api.root
      .resourceForPath(route.path)
      .addMethod(route.method, new LambdaIntegration(functionFor(route), NO_TEST_INVOKE), {
        requestValidator,
        ...optionsFor(route),
      }),
  }));
}

/** What a route's function needs beyond the defaults. */
function routeFunction(route: RouteDef, portalUrl: string | undefined): ServiceFunctionOptions {
  const { handler } = route;
  const sized = { handler, ...FUNCTION_SIZING[handler] };
  // The portal's origin: links are made for it.
  if (isPortalSessionRoute(route) && portalUrl)
    return { ...sized, environment: { LATCHKEY_PORTAL_URL: portalUrl } };
  // verify counts usage through its log (usage-ingest), like the authorizer.
  if (handler === 'verify') return { ...sized, environment: { LATCHKEY_USAGE_SOURCE: 'logs' } };
  return sized;
}
