import { Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { RestApi } from 'aws-cdk-lib/aws-apigateway';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { beforeAll, describe, expect, it } from 'vitest';
import { MANAGEMENT_ROUTES } from '../../functions/routes.ts';
import { PUBLIC_READ_THROTTLING } from '../../infra/service/leak-report.ts';
import type { ApiKeyServiceProps } from '../../infra/service/props.ts';
import { latchkeyStack, type Resources, synthStack, testApp } from '../support/stack.ts';

/**
 * The management API's unauthenticated methods against one noisy caller: a WAF web ACL with a
 * per-IP rate-based rule for each, a cached readiness probe, and access logs kept as long as the
 * audit trail.
 */

const synth = (service: ApiKeyServiceProps = {}) => synthStack(service);

// biome-ignore lint/suspicious/noExplicitAny: WAF statements are inspected freely
type Rule = Record<string, any>;

/** Every method the management API serves without IAM: the route table's public routes and the readiness probe. */
const PUBLIC = [
  ...MANAGEMENT_ROUTES.filter((r) => r.public && !r.localOnly).map((r) => `${r.method} ${r.path}`),
  'GET /healthz',
];

let built: ReturnType<typeof synth>;
beforeAll(() => {
  built = synth();
});

const only = (template: Template, type: string) => {
  const found = Object.entries(template.findResources(type) as Resources);
  expect(found, type).toHaveLength(1);
  return found[0] as [string, Resources[string]];
};
const rules = (template: Template) => only(template, 'AWS::WAFv2::WebACL')[1].Properties.Rules as Rule[];

/** The method and the URI path regex a rule's scope-down statement matches. */
function scopeOf(rule: Rule) {
  const [method, path] = rule.Statement.RateBasedStatement.ScopeDownStatement.AndStatement.Statements as [
    Rule,
    Rule,
  ];
  return {
    method: method.ByteMatchStatement,
    path: new RegExp(path.RegexMatchStatement.RegexString),
    pathStatement: path.RegexMatchStatement,
  };
}

describe('the WAF web ACL on the management API', () => {
  it('is made by default, regional, allowing what no rule blocks', () => {
    const [, acl] = only(built.template, 'AWS::WAFv2::WebACL');
    expect(acl.Properties).toMatchObject({
      Scope: 'REGIONAL',
      DefaultAction: { Allow: {} },
      VisibilityConfig: { CloudWatchMetricsEnabled: true, SampledRequestsEnabled: true },
    });
  });

  it('has one per-IP rate-based rule for each public route of the route table and for /healthz', () => {
    expect(PUBLIC).toContain('POST /v1/leaks/github');
    const all = rules(built.template);
    // And the portal link's landing, on the portal API behind CloudFront (test/infra/portal.test.ts).
    expect(all).toHaveLength(PUBLIC.length + 1);
    expect(all.filter((r) => scopeOf(r).path.test('/portal/portal/enter')).map((r) => r.Name)).toEqual([
      'RateLimit-GET-portal-enter',
    ]);
    for (const route of PUBLIC) {
      const [method, path] = route.split(' ') as [string, string];
      const rule = all.find((r) => {
        const scope = scopeOf(r);
        return scope.method.SearchString === method.toLowerCase() && scope.path.test(`/v1${path}`);
      });
      expect(rule, route).toBeDefined();
      expect(rule?.Statement.RateBasedStatement).toMatchObject({
        Limit: 300,
        AggregateKeyType: 'IP',
        EvaluationWindowSec: 300,
      });
      expect(rule?.Action).toEqual({
        Block: { CustomResponse: expect.objectContaining({ ResponseCode: 429 }) },
      });
      expect(rule?.VisibilityConfig).toMatchObject({
        CloudWatchMetricsEnabled: true,
        SampledRequestsEnabled: true,
      });
    }
    expect(new Set(all.map((r) => r.Priority)).size).toBe(all.length);
    expect(new Set(all.map((r) => r.Name)).size).toBe(all.length);
  });

  it("matches a route's path behind the stage name or a custom domain's base path, decoded, and nothing else", () => {
    const leak = rules(built.template).find((r) => scopeOf(r).path.test('/v1/v1/leaks/github'));
    expect(leak).toBeDefined();
    const { method, path, pathStatement } = scopeOf(leak as Rule);
    expect(method).toMatchObject({
      FieldToMatch: { Method: {} },
      PositionalConstraint: 'EXACTLY',
      TextTransformations: [{ Priority: 0, Type: 'LOWERCASE' }],
    });
    expect(pathStatement).toMatchObject({
      FieldToMatch: { UriPath: {} },
      TextTransformations: [{ Priority: 0, Type: 'URL_DECODE' }],
    });
    for (const hit of [
      '/v1/v1/leaks/github',
      '/v1/leaks/github',
      '/keys/v1/leaks/github',
      '/v1/v1/leaks/github/',
    ])
      expect(path.test(hit), hit).toBe(true);
    for (const miss of ['/v1/v1/leaks', '/v1/v1/leaks/githubx', '/v1/v1/leaks/github/x', '/v1/v1/keys'])
      expect(path.test(miss), miss).toBe(false);
  });

  it('answers a limited caller 429 with an error body in the API’s shape and a Retry-After', () => {
    const [, acl] = only(built.template, 'AWS::WAFv2::WebACL');
    const [rule] = rules(built.template) as [Rule];
    const response = rule.Action.Block.CustomResponse;
    expect(response.ResponseHeaders).toEqual([{ Name: 'Retry-After', Value: '300' }]);
    const body = acl.Properties.CustomResponseBodies[response.CustomResponseBodyKey];
    expect(body.ContentType).toBe('APPLICATION_JSON');
    expect(JSON.parse(body.Content)).toEqual({
      error: { code: 'RATE_LIMITED', message: expect.stringMatching(/too many requests/i) },
    });
  });

  it('is associated with the management API stage (and the portal API’s), so cdk-nag’s APIG3 holds without an acknowledgement', () => {
    const [aclId] = only(built.template, 'AWS::WAFv2::WebACL');
    const associations = Object.values(
      built.template.findResources('AWS::WAFv2::WebACLAssociation') as Resources,
    );
    expect(associations).toHaveLength(2);
    const stages = Object.entries(built.template.findResources('AWS::ApiGateway::Stage') as Resources);
    for (const [stageId, stage] of stages) {
      const association = associations.find((a) =>
        JSON.stringify(a.Properties.ResourceArn).includes(`{"Ref":"${stageId}"}`),
      );
      expect(association, stage.Properties.StageName).toBeDefined();
      expect(association?.Properties.WebACLArn).toEqual({ 'Fn::GetAtt': [aclId, 'Arn'] });
      const arn = JSON.stringify(association?.Properties.ResourceArn);
      expect(arn).toContain(`${JSON.stringify(stage.Properties.RestApiId)}`);
      expect(arn).toContain('/stages/');
    }
    expect(stages.map(([, s]) => s.Properties.StageName).sort()).toEqual(['portal', 'v1']);
    const acknowledged = JSON.stringify(
      built.stack.service.node
        .findAll()
        .flatMap((c) =>
          c.node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY),
        ),
    );
    expect(acknowledged).not.toContain('APIG3');
  });

  it('takes a limit per route, a window and a count-only mode', () => {
    const { template } = synth({
      waf: {
        requestsPerIp: 1000,
        windowSeconds: 60,
        action: 'count',
        routes: { 'POST /v1/leaks/github': 50 },
      },
    });
    const all = rules(template);
    const leak = all.find((r) => scopeOf(r).path.test('/v1/v1/leaks/github'));
    const health = all.find((r) => scopeOf(r).path.test('/v1/healthz'));
    expect(leak?.Statement.RateBasedStatement).toMatchObject({ Limit: 50, EvaluationWindowSec: 60 });
    expect(health?.Statement.RateBasedStatement).toMatchObject({ Limit: 1000, EvaluationWindowSec: 60 });
    for (const rule of all) expect(rule.Action).toEqual({ Count: {} });
  });

  it('can be turned off: no web ACL, and APIG3 is acknowledged with its reason', () => {
    const { stack, template } = synth({ waf: { enabled: false } });
    template.resourceCountIs('AWS::WAFv2::WebACL', 0);
    template.resourceCountIs('AWS::WAFv2::WebACLAssociation', 0);
    expect(stack.service.webAcl).toBeUndefined();
    const acknowledged = JSON.stringify(
      stack.service.node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY),
    );
    expect(acknowledged).toMatch(/AwsSolutions-APIG3.*waf/);
  });

  it('reports every bad WAF prop in one error', () => {
    expect(() =>
      synth({
        waf: {
          enabled: 'yes' as unknown as boolean,
          requestsPerIp: 5,
          windowSeconds: 30 as 60,
          action: 'deny' as 'block',
          routes: { 'POST /v1/keys': 100, 'GET /healthz': 1.5 },
        },
      }),
    ).toThrow(
      /6 bad props[\s\S]*waf\.enabled must be true or false[\s\S]*waf\.requestsPerIp must be an integer from 10 to 2000000000[\s\S]*waf\.windowSeconds must be 60, 120, 300 or 600[\s\S]*waf\.action must be block or count[\s\S]*waf\.routes: "POST \/v1\/keys" is not a public route \(public: POST \/v1\/leaks\/github, POST \/v1\/credentials\/revoke, GET \/v1\/openapi\.json, GET \/healthz, GET \/portal\/enter\)[\s\S]*waf\.routes\["GET \/healthz"\] must be an integer from 10 to 2000000000/,
    );
  });
});

describe('GET /healthz in AWS', () => {
  it('keeps its answer 5 s in the instance, so a caller makes at most one read per instance per 5 s', () => {
    built.template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: { LATCHKEY_HEALTH_CACHE_SECONDS: '5' } },
    });
  });
});

describe('GET /v1/openapi.json in AWS', () => {
  it("takes no IAM, is throttled on its own (not by the leak report's setting), and its function may touch nothing", () => {
    const { template } = synth({ leakReport: { throttling: { rateLimit: 1, burstLimit: 2 } } });
    const methods = Object.values(template.findResources('AWS::ApiGateway::Method') as Resources);
    const resources = template.findResources('AWS::ApiGateway::Resource') as Resources;
    const openapi = methods.find(
      (m) => resources[m.Properties.ResourceId?.Ref]?.Properties.PathPart === 'openapi.json',
    );
    expect(openapi?.Properties).toMatchObject({ HttpMethod: 'GET', AuthorizationType: 'NONE' });
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      MethodSettings: Match.arrayWith([
        Match.objectLike({
          ResourcePath: '/~1v1~1leaks~1github',
          ThrottlingRateLimit: 1,
          ThrottlingBurstLimit: 2,
        }),
        Match.objectLike({
          ResourcePath: '/~1v1~1openapi.json',
          HttpMethod: 'GET',
          ThrottlingRateLimit: PUBLIC_READ_THROTTLING.rateLimit,
          ThrottlingBurstLimit: PUBLIC_READ_THROTTLING.burstLimit,
        }),
      ]),
    });
    const integration = JSON.stringify(openapi?.Properties.Integration);
    const [fnId] = /ApiKeysOpenapi[0-9A-F]{8}/.exec(integration) ?? [];
    expect(fnId).toBeDefined();
    const fn = (template.findResources('AWS::Lambda::Function') as Resources)[fnId as string];
    const roleId = fn?.Properties.Role['Fn::GetAtt'][0] as string;
    const policies = Object.values(template.findResources('AWS::IAM::Policy') as Resources).filter((p) =>
      (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === roleId),
    );
    const actions = policies.flatMap((p) =>
      (p.Properties.PolicyDocument.Statement as { Action: string | string[] }[]).flatMap((st) => st.Action),
    );
    expect(actions.filter((a) => /^(dynamodb|secretsmanager|events|kms):/.test(a))).toEqual([]);
  });
});

describe('the API access logs', () => {
  const accessLogRetention = (template: Template) => {
    const [, stage] = Object.entries(template.findResources('AWS::ApiGateway::Stage') as Resources).find(
      ([, s]) => s.Properties.StageName === 'v1',
    ) as [string, Resources[string]];
    const [groupId] = stage.Properties.AccessLogSetting.DestinationArn['Fn::GetAtt'] as [string];
    const groups = template.findResources('AWS::Logs::LogGroup') as Resources;
    return groups[groupId]?.Properties.RetentionInDays;
  };

  it('are kept as long as the audit trail (400 days by default), not as long as function logs', () => {
    expect(accessLogRetention(built.template)).toBe(400);
    const { template } = synth({ auditRetentionDays: 500 });
    // CloudWatch Logs keeps 400 or 545 days, nothing between: the next longer.
    expect(accessLogRetention(template)).toBe(545);
    expect(accessLogRetention(synth({ auditRetentionDays: 3650 }).template)).toBe(3653);
  });

  it('follow accessLogRetention when it is set', () => {
    const { template } = synth({
      accessLogRetention: RetentionDays.TWO_YEARS,
      logRetention: RetentionDays.ONE_WEEK,
    });
    expect(accessLogRetention(template)).toBe(731);
  });

  it('refuse a retention CloudWatch Logs does not offer', () => {
    expect(() => synth({ accessLogRetention: 42 as RetentionDays })).toThrow(
      /accessLogRetention must be one of CloudWatch Logs' retention periods/,
    );
  });
});

describe("API Gateway's own answers", () => {
  it('carry nosniff and no-store, in the API error shape, on the management API', () => {
    const responses = built.template.findResources('AWS::ApiGateway::GatewayResponse') as Resources;
    const byType = Object.fromEntries(
      Object.values(responses).map((r) => [r.Properties.ResponseType, r.Properties]),
    );
    for (const type of ['DEFAULT_4XX', 'DEFAULT_5XX']) {
      expect(byType[type]?.ResponseParameters).toMatchObject({
        'gatewayresponse.header.X-Content-Type-Options': "'nosniff'",
        'gatewayresponse.header.Cache-Control': "'no-store'",
      });
      expect(byType[type]?.ResponseTemplates['application/json']).toMatch(/^\{"error":\{"code":/);
    }
  });

  it("carry nosniff on a protected API's 401 and 403 from the authorizer", () => {
    const stack = latchkeyStack(testApp());
    const api = new RestApi(stack, 'Orders');
    api.root.addMethod('GET', undefined, { authorizer: stack.service.restAuthorizer(api) });
    const responses = Template.fromStack(stack).findResources(
      'AWS::ApiGateway::GatewayResponse',
    ) as Resources;
    const refusals = Object.values(responses).filter((r) =>
      ['UNAUTHORIZED', 'ACCESS_DENIED'].includes(r.Properties.ResponseType),
    );
    expect(refusals).toHaveLength(2);
    for (const r of refusals)
      expect(r.Properties.ResponseParameters['gatewayresponse.header.X-Content-Type-Options']).toBe(
        "'nosniff'",
      );
  });
});
