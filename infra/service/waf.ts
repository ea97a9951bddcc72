import type { Stage } from 'aws-cdk-lib/aws-apigateway';
import { CfnWebACL, CfnWebACLAssociation } from 'aws-cdk-lib/aws-wafv2';
import type { Construct } from 'constructs';
import { MANAGEMENT_ROUTES, READINESS_ROUTE } from '../../functions/routes.ts';
import { PORTAL_LANDING_ROUTES, VIEWER_IP_HEADER } from './portal-defaults.ts';
import type { WafOptions } from './props.ts';

export const WAF_DEFAULTS = { requestsPerIp: 300, windowSeconds: 300, action: 'block' } as const;
const LIMITS = { min: 10, max: 2_000_000_000 } as const;
const WINDOWS = [60, 120, 300, 600] as const;
const RATE_LIMITED_BODY = 'rate-limited';

/** A method API Gateway serves without IAM: the handler authenticates its callers, or nobody needs to. */
export interface PublicMethod {
  readonly method: string;
  readonly path: string;
  /**
   * Behind CloudFront, the header that carries the viewer's address (the API sees CloudFront's).
   * @default undefined (the caller's own address)
   */
  readonly viewerIpHeader?: string;
}

/**
 * Every public method in AWS: the route table's, the readiness probe, and with the portal its
 * link's landing (behind CloudFront, which stamps the viewer's address on it).
 */
export function publicMethods(portal = false): PublicMethod[] {
  const management = [...MANAGEMENT_ROUTES.filter((r) => r.public && !r.localOnly), READINESS_ROUTE].map(
    ({ method, path }) => ({ method, path }),
  );
  if (!portal) return management;
  const landing = PORTAL_LANDING_ROUTES.map(({ method, path }) => ({
    method,
    path,
    viewerIpHeader: VIEWER_IP_HEADER,
  }));
  return [...management, ...landing];
}

/** The stages the web ACL guards. */
export interface GuardedStages {
  readonly management: Stage;
  /** @default undefined (no portal) */
  readonly portal?: Stage;
}

const routeKey = (m: PublicMethod) => `${m.method} ${m.path}`;

/**
 * The path as WAF sees it, after URL decoding: whatever precedes it (the stage name, or a custom
 * domain's base path), the route's segments, `{param}` as one segment, and an optional trailing
 * slash.
 */
export function pathPattern(path: string): string {
  const segments = path
    .split('/')
    .filter(Boolean)
    .map((segment) =>
      /^\{[^}]+\}$/.test(segment) ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
    );
  return `/${segments.join('/')}/?$`;
}

/** The web ACL, associated with each stage; undefined when `options.enabled` is false. */
export function createWebAcl(
  scope: Construct,
  name: string,
  stages: GuardedStages,
  options: WafOptions = {},
): CfnWebACL | undefined {
  if (options.enabled === false) return undefined;
  const settings = { ...WAF_DEFAULTS, ...options };
  const visibility = (metricName: string) => ({
    cloudWatchMetricsEnabled: true,
    sampledRequestsEnabled: true,
    metricName,
  });
  const rules = publicMethods(stages.portal !== undefined).map((m, priority): CfnWebACL.RuleProperty => {
    const ruleName = `RateLimit-${m.method}-${m.path.replace(/[{}]/g, '').replace(/\W+/g, '-').replace(/^-|-$/g, '')}`;
    return {
      name: ruleName,
      priority,
      action:
        settings.action === 'count'
          ? { count: {} }
          : {
              block: {
                customResponse: {
                  responseCode: 429,
                  customResponseBodyKey: RATE_LIMITED_BODY,
                  responseHeaders: [{ name: 'Retry-After', value: String(settings.windowSeconds) }],
                },
              },
            },
      statement: {
        rateBasedStatement: {
          limit: settings.routes?.[routeKey(m)] ?? settings.requestsPerIp,
          // A header that holds no address was not CloudFront's stamp: the rule's action applies.
          ...(m.viewerIpHeader
            ? {
                aggregateKeyType: 'FORWARDED_IP',
                forwardedIpConfig: { headerName: m.viewerIpHeader, fallbackBehavior: 'MATCH' },
              }
            : { aggregateKeyType: 'IP' }),
          evaluationWindowSec: settings.windowSeconds,
          scopeDownStatement: {
            andStatement: {
              statements: [
                {
                  byteMatchStatement: {
                    fieldToMatch: { method: {} },
                    positionalConstraint: 'EXACTLY',
                    searchString: m.method.toLowerCase(),
                    textTransformations: [{ priority: 0, type: 'LOWERCASE' }],
                  },
                },
                {
                  regexMatchStatement: {
                    fieldToMatch: { uriPath: {} },
                    regexString: pathPattern(m.path),
                    textTransformations: [{ priority: 0, type: 'URL_DECODE' }],
                  },
                },
              ],
            },
          },
        },
      },
      visibilityConfig: visibility(`${name}-${ruleName}`),
    };
  });
  const acl = new CfnWebACL(scope, 'ManagementApiWaf', {
    name: `${name}-management`,
    description: `${name}: per-IP rate limits on the public routes of the management API${stages.portal ? ' and the portal' : ''}.`,
    scope: 'REGIONAL',
    defaultAction: { allow: {} },
    customResponseBodies: {
      [RATE_LIMITED_BODY]: {
        contentType: 'APPLICATION_JSON',
        content: JSON.stringify({
          error: {
            code: 'RATE_LIMITED',
            message: 'too many requests from this address to this route; try again later',
          },
        }),
      },
    },
    rules,
    visibilityConfig: visibility(`${name}-management`),
  });
  new CfnWebACLAssociation(scope, 'ManagementApiWafAssociation', {
    resourceArn: stages.management.stageArn,
    webAclArn: acl.attrArn,
  });
  if (stages.portal)
    new CfnWebACLAssociation(scope, 'PortalApiWafAssociation', {
      resourceArn: stages.portal.stageArn,
      webAclArn: acl.attrArn,
    });
  return acl;
}

/** Every problem with the `waf` prop (`portal`: whether the portal, and its landing, is deployed). */
export function wafProblems(options: WafOptions | undefined, portal = false): string[] {
  if (!options) return [];
  const problems: string[] = [];
  const limit = (value: unknown) =>
    typeof value === 'number' && Number.isInteger(value) && value >= LIMITS.min && value <= LIMITS.max;
  const range = `an integer from ${LIMITS.min} to ${LIMITS.max}`;
  if (options.enabled !== undefined && typeof options.enabled !== 'boolean')
    problems.push('waf.enabled must be true or false');
  if (options.requestsPerIp !== undefined && !limit(options.requestsPerIp))
    problems.push(`waf.requestsPerIp must be ${range}`);
  if (options.windowSeconds !== undefined && !(WINDOWS as readonly number[]).includes(options.windowSeconds))
    problems.push('waf.windowSeconds must be 60, 120, 300 or 600');
  if (options.action !== undefined && !['block', 'count'].includes(options.action))
    problems.push('waf.action must be block or count');
  const known = publicMethods(portal).map(routeKey);
  for (const [route, value] of Object.entries(options.routes ?? {})) {
    if (!known.includes(route))
      problems.push(`waf.routes: "${route}" is not a public route (public: ${known.join(', ')})`);
    else if (!limit(value)) problems.push(`waf.routes["${route}"] must be ${range}`);
  }
  return problems;
}
