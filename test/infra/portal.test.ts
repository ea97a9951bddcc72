import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import { beforeAll, describe, expect, it } from 'vitest';
import { MANAGEMENT_ROUTES, PORTAL_ROUTES } from '../../functions/routes.ts';
import { TABLES } from '../../functions/store/tables.ts';
import { ApiKeyService, type ApiKeyServiceProps, FUNCTION_ACCESS } from '../../infra/api-key-service.ts';
import { PORTAL_VIEWER_REQUEST, VIEWER_IP_HEADER } from '../../infra/service/portal-defaults.ts';
import {
  PORTAL_CSP as PORTAL_CONTENT_SECURITY_POLICY,
  SECURITY_HEADERS,
} from '../../web/security-headers.ts';
import {
  ENV,
  functionIdOf,
  functionOf,
  list,
  type Resource,
  type Resources,
  type Statement,
  serviceAlone,
  statementsOf,
  synthStack,
  testApp,
  withNag,
  withPortalSite,
} from '../support/stack.ts';

const CACHING_OPTIMIZED = '658327ea-f89d-4fab-a63d-7e88639e58f6';
const CACHING_DISABLED = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';
const ALL_VIEWER_EXCEPT_HOST_HEADER = 'b689b0a8-53d0-40ab-baf2-68738e2966ac';
const CERTIFICATE = 'arn:aws:acm:us-east-1:123456789012:certificate/0f4c2a1e-1111-2222-3333-444455556666';

function build(props: ApiKeyServiceProps = {}) {
  const { stack, template } = synthStack(props);
  return { stack, template, resources: template.toJSON().Resources as Resources };
}

/** The service with its portal on keys.example.com (its certificate in us-east-1), synthesized under cdk-nag. */
function withCustomDomain(): Template {
  const app = withNag(testApp());
  const stack = new Stack(app, 'Custom', { env: ENV });
  new ApiKeyService(
    stack,
    'ApiKeys',
    withPortalSite({
      portal: {
        domainName: 'keys.example.com',
        certificate: Certificate.fromCertificateArn(stack, 'PortalCertificate', CERTIFICATE),
      },
    }),
  );
  app.synth();
  return Template.fromStack(stack);
}

let built: ReturnType<typeof build>;
beforeAll(() => {
  built = build();
}, 60_000);

const json = (value: unknown) => JSON.stringify(value);
const ofType = (resources: Resources, type: string) =>
  Object.entries(resources).filter(([, r]) => r.Type === type);
const only = (resources: Resources, type: string): [string, Resource] => {
  const found = ofType(resources, type);
  expect(found, type).toHaveLength(1);
  return found[0] as [string, Resource];
};
const distribution = (resources = built.resources) =>
  only(resources, 'AWS::CloudFront::Distribution')[1].Properties.DistributionConfig;
const restApiId = (resources: Resources, name: string) => {
  const found = ofType(resources, 'AWS::ApiGateway::RestApi').find(([, r]) => r.Properties.Name === name);
  expect(found, name).toBeDefined();
  return (found as [string, Resource])[0];
};
/** The portal origin a function is told, if any. */
const urlOf = (template: Template, handler: string) => {
  const fn = functionOf(template, handler);
  expect(fn, handler).toBeDefined();
  return fn?.Properties.Environment.Variables.LATCHKEY_PORTAL_URL;
};

/** Every method of one REST API, as `METHOD /path` (the path rebuilt from its resources). */
function methodsOf(resources: Resources, apiId: string) {
  const pathOf = (ref: unknown): string => {
    const r = ref as { Ref?: string; 'Fn::GetAtt'?: [string, string] };
    if (r['Fn::GetAtt']) return '';
    const resource = resources[r.Ref as string] as Resource;
    return `${pathOf(resource.Properties.ParentId)}/${resource.Properties.PathPart}`;
  };
  return ofType(resources, 'AWS::ApiGateway::Method')
    .filter(([, m]) => json(m.Properties.RestApiId) === json({ Ref: apiId }))
    .map(([id, m]) => ({
      id,
      route: `${m.Properties.HttpMethod} ${pathOf(m.Properties.ResourceId) || '/'}`,
      m,
    }));
}

/** The CloudFront Function's code, run as CloudFront runs it on a viewer request. */
function viewerRequest(uri: string, headers: Record<string, { value: string }> = {}) {
  const code = only(built.resources, 'AWS::CloudFront::Function')[1].Properties.FunctionCode as string;
  const handler = new Function(`${code}\nreturn handler;`)() as (event: unknown) => {
    uri?: string;
    statusCode?: number;
    headers: Record<string, { value: string }>;
  };
  return handler({
    version: '1.0',
    context: { eventType: 'viewer-request' },
    viewer: { ip: '198.51.100.7' },
    request: { method: 'GET', uri, querystring: {}, headers: { ...headers }, cookies: {} },
  });
}

/** A CloudFront path pattern as a regular expression (`*` any characters, `?` one). */
const patternMatches = (pattern: string, path: string) =>
  new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  ).test(path);

describe('the portal distribution', () => {
  it('serves the built app from S3 through origin access control by default, with the page mapping function', () => {
    const config = distribution();
    const s3 = config.Origins.find((o: Statement) => o.S3OriginConfig);
    expect(s3.OriginAccessControlId).toEqual({
      'Fn::GetAtt': [only(built.resources, 'AWS::CloudFront::OriginAccessControl')[0], 'Id'],
    });
    expect(s3.S3OriginConfig).toEqual({ OriginAccessIdentity: '' });
    expect(config.DefaultCacheBehavior).toMatchObject({
      TargetOriginId: s3.Id,
      ViewerProtocolPolicy: 'redirect-to-https',
      CachePolicyId: CACHING_OPTIMIZED,
      Compress: true,
      FunctionAssociations: [
        {
          EventType: 'viewer-request',
          FunctionARN: {
            'Fn::GetAtt': [only(built.resources, 'AWS::CloudFront::Function')[0], 'FunctionARN'],
          },
        },
      ],
    });
    expect(config.DefaultRootObject).toBeUndefined();
    expect(config.Enabled).toBe(true);
    expect(config.HttpVersion).toBe('http2and3');
  });

  it('sends /portal/api/* (every method) and /portal/enter to the portal API: no caching, cookies, query strings and every viewer header but Host', () => {
    const config = distribution();
    const behaviours = config.CacheBehaviors as Statement[];
    expect(behaviours.map((b) => b.PathPattern).sort()).toEqual(['/portal/api/*', '/portal/enter']);
    const apiOrigin = config.Origins.find((o: Statement) => o.CustomOriginConfig);
    expect(apiOrigin).toMatchObject({
      DomainName: {
        'Fn::Join': [
          '',
          [
            { Ref: restApiId(built.resources, 'latchkey-portal') },
            '.execute-api.eu-west-1.',
            { Ref: 'AWS::URLSuffix' },
          ],
        ],
      },
      OriginPath: '/portal',
      CustomOriginConfig: { OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.2'] },
    });
    for (const b of behaviours) {
      expect(b, b.PathPattern).toMatchObject({
        TargetOriginId: apiOrigin.Id,
        ViewerProtocolPolicy: 'https-only',
        CachePolicyId: CACHING_DISABLED,
        OriginRequestPolicyId: ALL_VIEWER_EXCEPT_HOST_HEADER,
        ResponseHeadersPolicyId: config.DefaultCacheBehavior.ResponseHeadersPolicyId,
        FunctionAssociations: config.DefaultCacheBehavior.FunctionAssociations,
      });
    }
    const api = behaviours.find((b) => b.PathPattern === '/portal/api/*') as Statement;
    expect([...api.AllowedMethods].sort()).toEqual([
      'DELETE',
      'GET',
      'HEAD',
      'OPTIONS',
      'PATCH',
      'POST',
      'PUT',
    ]);
    const enter = behaviours.find((b) => b.PathPattern === '/portal/enter') as Statement;
    expect([...enter.AllowedMethods].sort()).toEqual(['GET', 'HEAD']);
    // Every portal route reaches the API through a behaviour, none through the S3 default.
    for (const route of PORTAL_ROUTES) {
      const path = route.path.replace(/\{[^}]+\}/g, 'key_x');
      const behaviour = behaviours.find((b) => patternMatches(b.PathPattern, path));
      expect(behaviour, route.path).toBeDefined();
      expect(behaviour?.AllowedMethods, `${route.method} ${route.path}`).toContain(route.method);
    }
  });

  it('keeps access logs in a bucket of its own, which the S3 access logs share', () => {
    const config = distribution();
    const [logBucketId, logBucket] = ofType(built.resources, 'AWS::S3::Bucket').find(
      ([, b]) => b.Properties.OwnershipControls,
    ) as [string, Resource];
    // Without cookies: the session token is one.
    expect(config.Logging).toEqual({
      Bucket: { 'Fn::GetAtt': [logBucketId, 'RegionalDomainName'] },
      Prefix: 'cloudfront/',
      IncludeCookies: false,
    });
    expect(logBucket.Properties).toMatchObject({
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      // CloudFront's standard logs are written with an ACL: the bucket must take them.
      OwnershipControls: { Rules: [{ ObjectOwnership: 'ObjectWriter' }] },
      // As long as the management API's access logs (the audit trail's 400 days by default).
      LifecycleConfiguration: { Rules: [{ ExpirationInDays: 400, Status: 'Enabled' }] },
    });
  });

  it('has no custom domain unless one is given', () => {
    const config = distribution();
    expect(config.Aliases).toBeUndefined();
    expect(config.ViewerCertificate).toBeUndefined();
  });
});

describe('the assets bucket', () => {
  const siteBucket = () =>
    ofType(built.resources, 'AWS::S3::Bucket').find(([, b]) => !b.Properties.OwnershipControls) as [
      string,
      Resource,
    ];

  it('blocks public access, encrypts, logs, and hosts no website', () => {
    const [, bucket] = siteBucket();
    expect(bucket.Properties).toMatchObject({
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      LoggingConfiguration: { LogFilePrefix: 'portal-assets/' },
    });
    expect(bucket.Properties.WebsiteConfiguration).toBeUndefined();
    expect(ofType(built.resources, 'AWS::S3::Bucket')).toHaveLength(2);
  });

  it('lets only this distribution read it (origin access control), and only over TLS', () => {
    const [bucketId] = siteBucket();
    const policy = ofType(built.resources, 'AWS::S3::BucketPolicy').find(
      ([, p]) => json(p.Properties.Bucket) === json({ Ref: bucketId }),
    )?.[1] as Resource;
    const statements = policy.Properties.PolicyDocument.Statement as Statement[];
    const allows = statements.filter((s) => s.Effect === 'Allow');
    expect(allows).toEqual([
      {
        Action: 's3:GetObject',
        Effect: 'Allow',
        Principal: { Service: 'cloudfront.amazonaws.com' },
        Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/*']] },
        Condition: {
          StringEquals: {
            'AWS:SourceArn': {
              'Fn::Join': [
                '',
                [
                  'arn:',
                  { Ref: 'AWS::Partition' },
                  ':cloudfront::',
                  { Ref: 'AWS::AccountId' },
                  ':distribution/',
                  { Ref: only(built.resources, 'AWS::CloudFront::Distribution')[0] },
                ],
              ],
            },
          },
        },
      },
    ]);
    expect(statements).toContainEqual(
      expect.objectContaining({
        Effect: 'Deny',
        Action: 's3:*',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      }),
    );
    built.template.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: {
        OriginAccessControlOriginType: 's3',
        SigningBehavior: 'always',
        SigningProtocol: 'sigv4',
      },
    });
  });

  it('receives the built app: hashed files cached for a year and kept, the rest revalidated, the build stamp left out', () => {
    const [bucketId] = siteBucket();
    const deployments = ofType(built.resources, 'Custom::CDKBucketDeployment');
    expect(deployments).toHaveLength(2);
    for (const [, d] of deployments) expect(d.Properties.DestinationBucketName).toEqual({ Ref: bucketId });
    const [, hashed] = deployments.find(([id]) => id.includes('HashedFiles')) as [string, Resource];
    expect(hashed.Properties).toMatchObject({
      Exclude: ['*'],
      Include: ['assets/*'],
      // A page loaded before a deployment still finds its old scripts.
      Prune: false,
      SystemMetadata: { 'cache-control': 'public, max-age=31536000, immutable' },
    });
    const [pagesId, pages] = deployments.find(([id]) => id.includes('PageFiles')) as [string, Resource];
    expect(pages.Properties).toMatchObject({
      Exclude: ['assets/*', '.sources', 'headers.json'],
      Prune: true,
      SystemMetadata: { 'cache-control': 'no-cache' },
    });
    expect(pages.Properties.Include).toBeUndefined();
    // index.html is replaced only once the hashed files it names are in place.
    expect(list(built.resources[pagesId]?.DependsOn ?? [])).toEqual(
      expect.arrayContaining([deployments.find(([id]) => id.includes('HashedFiles'))?.[0]]),
    );
  });
});

describe('the CloudFront Function', () => {
  it('runs on viewer requests in cloudfront-js-2.0', () => {
    const [, fn] = only(built.resources, 'AWS::CloudFront::Function');
    expect(fn.Properties.FunctionConfig).toMatchObject({ Runtime: 'cloudfront-js-2.0' });
    expect(fn.Properties.AutoPublish).toBe(true);
    expect(fn.Properties.FunctionCode).toBe(PORTAL_VIEWER_REQUEST);
  });

  it('maps the portal page paths to /index.html, and leaves files, the API and other paths alone', () => {
    for (const page of ['/portal', '/portal/', '/portal/keys/key_7f3a9c', '/portal/keys/key_7f3a9c/usage'])
      expect(viewerRequest(page).uri, page).toBe('/index.html');
    for (const other of [
      '/assets/index-abc123.js',
      '/favicon.svg',
      '/portal/logo.svg',
      '/keys',
      '/portalx',
      '/index.html',
    ])
      expect(viewerRequest(other).uri, other).toBe(other);
    for (const api of ['/portal/api/keys', '/portal/api', '/portal/enter'])
      expect(viewerRequest(api).uri, api).toBe(api);
  });

  it("stamps the viewer's address on requests for the API, over whatever the viewer sent", () => {
    const forged = { [VIEWER_IP_HEADER]: { value: '203.0.113.99' } };
    for (const api of ['/portal/api/keys', '/portal/enter'])
      expect(viewerRequest(api, forged).headers[VIEWER_IP_HEADER], api).toEqual({ value: '198.51.100.7' });
    expect(viewerRequest('/portal/keys').headers[VIEWER_IP_HEADER]).toBeUndefined();
  });

  it('sends the bare origin to the portal', () => {
    expect(viewerRequest('/')).toMatchObject({
      statusCode: 302,
      headers: { location: { value: '/portal' } },
    });
  });
});

describe('the response headers policy', () => {
  it("carries the app's CSP with images from https (the team's logo), HSTS, nosniff, DENY and no referrer", () => {
    const [, policy] = only(built.resources, 'AWS::CloudFront::ResponseHeadersPolicy');
    const config = policy.Properties.ResponseHeadersPolicyConfig;
    expect(config.SecurityHeadersConfig).toEqual({
      ContentSecurityPolicy: { ContentSecurityPolicy: PORTAL_CONTENT_SECURITY_POLICY, Override: false },
      StrictTransportSecurity: { AccessControlMaxAgeSec: 63072000, IncludeSubdomains: true, Override: true },
      ContentTypeOptions: { Override: true },
      FrameOptions: { FrameOption: 'DENY', Override: true },
      ReferrerPolicy: { ReferrerPolicy: 'no-referrer', Override: true },
    });
    expect(config.CustomHeadersConfig.Items).toEqual([
      { Header: 'cross-origin-opener-policy', Value: 'same-origin', Override: true },
    ]);
    const directives = (csp: string) => csp.split(';').map((d) => d.trim());
    expect(directives(PORTAL_CONTENT_SECURITY_POLICY)).toContain("img-src 'self' data: https:");
    expect(directives(PORTAL_CONTENT_SECURITY_POLICY).filter((d) => !d.startsWith('img-src'))).toEqual(
      directives(SECURITY_HEADERS['content-security-policy'] as string).filter(
        (d) => !d.startsWith('img-src'),
      ),
    );
    expect(distribution().DefaultCacheBehavior.ResponseHeadersPolicyId).toEqual({
      Ref: only(built.resources, 'AWS::CloudFront::ResponseHeadersPolicy')[0],
    });
  });
});

describe('the portal API', () => {
  it('holds exactly the portal routes, with no IAM (the functions check the cookie), each on its own function', () => {
    const portalApi = restApiId(built.resources, 'latchkey-portal');
    const methods = methodsOf(built.resources, portalApi);
    expect(methods.map((m) => m.route).sort()).toEqual(
      PORTAL_ROUTES.map((r) => `${r.method} ${r.path}`).sort(),
    );
    for (const route of PORTAL_ROUTES) {
      const { m } = methods.find(
        (x) => x.route === `${route.method} ${route.path}`,
      ) as (typeof methods)[number];
      expect(m.Properties.AuthorizationType, route.path).toBe('NONE');
      const fnId = functionIdOf(built.template, route.handler);
      expect(json(m.Properties.Integration.Uri), route.path).toContain(`"${fnId}"`);
    }
  });

  it('logs access, traces and is throttled on a stage of its own, behind the same web ACL', () => {
    const portalApi = restApiId(built.resources, 'latchkey-portal');
    const [stageId, stage] = ofType(built.resources, 'AWS::ApiGateway::Stage').find(
      ([, s]) => json(s.Properties.RestApiId) === json({ Ref: portalApi }),
    ) as [string, Resource];
    // It logs through the account's API Gateway role, which the management API sets first.
    const [account] = only(built.resources, 'AWS::ApiGateway::Account');
    expect(list(built.resources[stageId]?.DependsOn ?? [])).toContain(account);
    const logGroup = stage.Properties.AccessLogSetting.DestinationArn['Fn::GetAtt'][0];
    expect(built.resources[logGroup]?.Properties.RetentionInDays).toBe(400);
    expect(stage.Properties).toMatchObject({
      StageName: 'portal',
      TracingEnabled: true,
      MethodSettings: [
        expect.objectContaining({
          DataTraceEnabled: false,
          LoggingLevel: 'ERROR',
          MetricsEnabled: true,
          ThrottlingRateLimit: 50,
          ThrottlingBurstLimit: 100,
        }),
      ],
    });
    const associations = ofType(built.resources, 'AWS::WAFv2::WebACLAssociation').map(
      ([, a]) => a.Properties,
    );
    expect(associations).toContainEqual(
      expect.objectContaining({ ResourceArn: expect.objectContaining({ 'Fn::Join': expect.anything() }) }),
    );
    expect(json(associations)).toContain(`"${stageId}"`);
  });

  it("answers API Gateway's own refusals (throttled, blocked, no such route) as the management API does: the error shape, nosniff and no-store", () => {
    const responsesOf = (apiId: string) =>
      Object.fromEntries(
        ofType(built.resources, 'AWS::ApiGateway::GatewayResponse')
          .filter(([, r]) => json(r.Properties.RestApiId) === json({ Ref: apiId }))
          .map(([, r]) => {
            const { RestApiId: _, ...properties } = r.Properties;
            return [r.Properties.ResponseType, properties];
          }),
      );
    const portal = responsesOf(restApiId(built.resources, 'latchkey-portal'));
    const management = responsesOf(restApiId(built.resources, 'latchkey-management'));
    expect(Object.keys(portal).sort()).toEqual(['DEFAULT_4XX', 'DEFAULT_5XX']);
    for (const type of ['DEFAULT_4XX', 'DEFAULT_5XX']) {
      expect(portal[type]?.ResponseParameters, type).toMatchObject({
        'gatewayresponse.header.X-Content-Type-Options': "'nosniff'",
        'gatewayresponse.header.Cache-Control': "'no-store'",
      });
      expect(portal[type]?.ResponseTemplates['application/json'], type).toMatch(/^\{"error":\{"code":/);
      expect(portal[type], type).toEqual(management[type]);
    }
  });

  it('rate-limits /portal/enter per viewer address, as CloudFront stamps it', () => {
    const [, acl] = only(built.resources, 'AWS::WAFv2::WebACL');
    const rule = (acl.Properties.Rules as Statement[]).find((r) => r.Name === 'RateLimit-GET-portal-enter');
    expect(rule?.Statement.RateBasedStatement).toMatchObject({
      Limit: 300,
      AggregateKeyType: 'FORWARDED_IP',
      ForwardedIPConfig: { HeaderName: VIEWER_IP_HEADER, FallbackBehavior: 'MATCH' },
      EvaluationWindowSec: 300,
    });
    expect(json(rule?.Statement)).toContain('/portal/enter/?$');
    const limited = build({ waf: { routes: { 'GET /portal/enter': 50 } } });
    const [, limitedAcl] = only(limited.resources, 'AWS::WAFv2::WebACL');
    expect(
      (limitedAcl.Properties.Rules as Statement[]).find((r) => r.Name === 'RateLimit-GET-portal-enter')
        ?.Statement.RateBasedStatement.Limit,
    ).toBe(50);
  });
});

describe('nothing in the portal path reaches an operator route', () => {
  it('the management API keeps IAM on every method but the readiness probe and its public routes, the portal sessions included', () => {
    const management = restApiId(built.resources, 'latchkey-management');
    const methods = methodsOf(built.resources, management);
    const open = new Set([
      ...MANAGEMENT_ROUTES.filter((r) => r.public).map((r) => `${r.method} ${r.path}`),
      'GET /healthz',
    ]);
    for (const { route, m } of methods)
      expect(m.Properties.AuthorizationType, route).toBe(open.has(route) ? 'NONE' : 'AWS_IAM');
    expect(methods.map((m) => m.route)).toEqual(
      expect.arrayContaining(['POST /v1/portal/sessions', 'DELETE /v1/portal/sessions/{sessionId}']),
    );
    // No portal route is on the management API, and no management route is on the portal API.
    expect(methods.some((m) => m.route.includes(' /portal'))).toBe(false);
    expect(
      methodsOf(built.resources, restApiId(built.resources, 'latchkey-portal')).some((m) =>
        m.route.includes('/v1'),
      ),
    ).toBe(false);
  });

  it("the portal functions' roles hold their FUNCTION_ACCESS entries and nothing more: no execute-api, no other table", () => {
    const tableIds = Object.fromEntries(
      ofType(built.resources, 'AWS::DynamoDB::GlobalTable').map(([id]) => [
        id,
        Object.keys(TABLES).find((t) => id.startsWith(`ApiKeys${t[0]?.toUpperCase()}${t.slice(1)}Table`)),
      ]),
    );
    const handlers = [...new Set(PORTAL_ROUTES.map((r) => r.handler))];
    for (const handler of handlers) {
      const statements = statementsOf(built.template, handler);
      const access = FUNCTION_ACCESS[handler];
      expect(access, handler).toBeDefined();
      for (const s of statements) {
        const actions = list(s.Action) as string[];
        expect(s.Effect, handler).toBe('Allow');
        for (const action of actions) {
          const service = action.split(':')[0];
          expect(['dynamodb', 'xray', 'secretsmanager', 'events'], `${handler}: ${action}`).toContain(
            service,
          );
          if (service === 'secretsmanager') expect(access?.pepper, `${handler}: ${action}`).toBe(true);
          if (service === 'events') expect(access?.events, `${handler}: ${action}`).toBe(true);
          if (service !== 'dynamodb') continue;
          for (const resource of list(s.Resource)) {
            const text = json(resource);
            const tableId = Object.keys(tableIds).find((id) => text.includes(`"${id}"`)) as string;
            const table = tableIds[tableId] as keyof typeof TABLES;
            expect(access?.tables[table] ?? [], `${handler}: ${action} on ${table}`).toContain(action);
          }
        }
      }
      expect(
        statements.flatMap((s) => list(s.Action)).some((a) => String(a).startsWith('execute-api')),
        handler,
      ).toBe(false);
    }
  });

  it('only the portal API invokes the portal functions', () => {
    const portalApi = restApiId(built.resources, 'latchkey-portal');
    const management = restApiId(built.resources, 'latchkey-management');
    for (const handler of new Set(PORTAL_ROUTES.map((r) => r.handler))) {
      const fnId = functionIdOf(built.template, handler);
      const permissions = ofType(built.resources, 'AWS::Lambda::Permission').filter(([, p]) =>
        json(p.Properties.FunctionName).includes(`"${fnId}"`),
      );
      expect(permissions.length, handler).toBeGreaterThan(0);
      for (const [, p] of permissions) {
        expect(p.Properties.Principal).toBe('apigateway.amazonaws.com');
        expect(json(p.Properties.SourceArn)).toContain(`"${portalApi}"`);
        expect(json(p.Properties.SourceArn)).not.toContain(`"${management}"`);
      }
    }
  });
});

describe('the sessions table', () => {
  it('is keyed by session, expires by TTL, with PITR, encryption, deletion protection and RETAIN', () => {
    const [, table] = ofType(built.resources, 'AWS::DynamoDB::GlobalTable').find(([id]) =>
      id.startsWith('ApiKeysSessionsTable'),
    ) as [string, Resource];
    expect(table.Properties).toMatchObject({
      KeySchema: [{ AttributeName: 'sessionId', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
      TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true },
      SSESpecification: { SSEEnabled: true },
      Replicas: [
        expect.objectContaining({
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          DeletionProtectionEnabled: true,
        }),
      ],
    });
    expect(table.Properties.GlobalSecondaryIndexes).toBeUndefined();
    expect(
      (built.template.toJSON().Resources as Record<string, { DeletionPolicy?: string }>)[
        ofType(built.resources, 'AWS::DynamoDB::GlobalTable').find(([id]) =>
          id.startsWith('ApiKeysSessionsTable'),
        )?.[0] as string
      ]?.DeletionPolicy,
    ).toBe('Retain');
  });
});

describe('LATCHKEY_PORTAL_URL', () => {
  it('is the distribution’s https origin for the sessions routes and every portal function, and no other function gets it', () => {
    const domain = {
      'Fn::Join': [
        '',
        [
          'https://',
          { 'Fn::GetAtt': [only(built.resources, 'AWS::CloudFront::Distribution')[0], 'DomainName'] },
        ],
      ],
    };
    const readers = [
      'portal-sessions-create',
      'portal-sessions-delete',
      ...PORTAL_ROUTES.map((r) => r.handler),
    ];
    for (const handler of readers) expect(urlOf(built.template, handler), handler).toEqual(domain);
    for (const handler of ['keys-create', 'authorizer', 'sweep-scheduled', 'verify'])
      expect(urlOf(built.template, handler), handler).toBeUndefined();
    built.template.hasOutput('*', { Value: domain, Description: Match.stringLikeRegexp('portal') });
    // The stack names no way to the portal API but through the distribution.
    const outputs = JSON.stringify(built.template.toJSON().Outputs);
    expect(outputs).not.toContain(restApiId(built.resources, 'latchkey-portal'));
  });

  it('makes no dependency cycle: the distribution waits on neither a function nor a stage', () => {
    // Template.fromStack refuses a template with a cycle; this is why there is none.
    const resources = built.resources;
    const refs = (value: unknown, out: Set<string>): Set<string> => {
      if (Array.isArray(value)) for (const v of value) refs(v, out);
      else if (value && typeof value === 'object')
        for (const [k, v] of Object.entries(value)) {
          if (k === 'Ref' && typeof v === 'string' && resources[v]) out.add(v);
          else if (k === 'Fn::GetAtt' && Array.isArray(v) && resources[v[0] as string])
            out.add(v[0] as string);
          else refs(v, out);
        }
      return out;
    };
    const waitsOn = new Set<string>();
    const visit = (id: string) => {
      const r = resources[id] as Resource;
      for (const next of refs(r.Properties ?? {}, new Set(list(r.DependsOn ?? []))))
        if (!waitsOn.has(next)) {
          waitsOn.add(next);
          visit(next);
        }
    };
    visit(only(resources, 'AWS::CloudFront::Distribution')[0]);
    const types = [...waitsOn].map((id) => resources[id]?.Type);
    expect(types).toContain('AWS::ApiGateway::RestApi');
    for (const type of ['AWS::Lambda::Function', 'AWS::ApiGateway::Stage', 'AWS::ApiGateway::Deployment'])
      expect(types, type).not.toContain(type);
  });
});

describe('a custom domain', () => {
  it('puts the name and its us-east-1 certificate on the distribution (TLS 1.2), and in the links', () => {
    const template = withCustomDomain();
    const config = distribution(template.toJSON().Resources as Resources);
    expect(config.Aliases).toEqual(['keys.example.com']);
    expect(config.ViewerCertificate).toEqual({
      AcmCertificateArn: CERTIFICATE,
      SslSupportMethod: 'sni-only',
      MinimumProtocolVersion: 'TLSv1.2_2021',
    });
    for (const handler of ['portal-sessions-create', 'portal-enter', 'portal-keys-create'])
      expect(urlOf(template, handler), handler).toBe('https://keys.example.com');
    template.hasOutput('*', { Value: 'https://keys.example.com' });
  });
});

describe('portal props', () => {
  const make = (props: ApiKeyServiceProps) => () => serviceAlone(props);

  it('are checked at synth, every problem named at once', () => {
    const empty = mkdtempSync(join(tmpdir(), 'latchkey-portal-assets-'));
    const stack = new Stack(testApp(), 'S', { env: ENV });
    const elsewhere = Certificate.fromCertificateArn(
      stack,
      'Elsewhere',
      'arn:aws:acm:eu-west-1:123456789012:certificate/0f4c2a1e-1111-2222-3333-444455556666',
    );
    expect(make({ portal: { domainName: 'keys.example.com' } })).toThrow(
      /portal.domainName needs portal.certificate/,
    );
    expect(
      () =>
        new ApiKeyService(stack, 'Keys', {
          portal: { assets: empty, domainName: 'keys example', certificate: elsewhere },
        }),
    ).toThrow(
      /3 bad props:[\s\S]*portal.assets[\s\S]*index.html[\s\S]*web\/build.ts[\s\S]*portal.domainName must be a host name[\s\S]*portal.certificate must be in us-east-1 \(CloudFront's Region, whatever the stack's\); this one is in eu-west-1/,
    );
    expect(
      make({
        portal: {
          certificate: Certificate.fromCertificateArn(
            new Stack(testApp(), 'C', { env: ENV }),
            'C',
            CERTIFICATE,
          ),
        },
      }),
    ).toThrow(/portal.certificate needs portal.domainName/);
    expect(make({ portal: { enabled: 'yes' as unknown as boolean } })).toThrow(
      /portal.enabled must be true or false/,
    );
    expect(make({ waf: { routes: { 'GET /portal/api/keys': 10 } } })).toThrow(
      /waf.routes: "GET \/portal\/api\/keys" is not a public route/,
    );
  });

  it('turned off, deploy no portal: no distribution, bucket, portal API, portal functions or sessions routes', () => {
    const { template, resources } = build({
      portal: { enabled: false, assets: join(tmpdir(), 'not-built') },
    });
    for (const type of ['AWS::CloudFront::Distribution', 'AWS::S3::Bucket', 'Custom::CDKBucketDeployment'])
      expect(ofType(resources, type), type).toEqual([]);
    expect(ofType(resources, 'AWS::ApiGateway::RestApi')).toHaveLength(1);
    for (const handler of [
      'portal-sessions-create',
      'portal-sessions-delete',
      ...PORTAL_ROUTES.map((r) => r.handler),
    ])
      expect(functionOf(template, handler), handler).toBeUndefined();
    const methods = methodsOf(resources, restApiId(resources, 'latchkey-management'));
    expect(methods.some((m) => m.route.includes('/v1/portal'))).toBe(false);
    const [, acl] = only(resources, 'AWS::WAFv2::WebACL');
    expect(json(acl.Properties.Rules)).not.toContain('portal');
  });
});

describe('cdk-nag', () => {
  it('finds no unacknowledged AwsSolutions finding, with or without a custom domain', () => {
    expect(() => build()).not.toThrow();
    expect(withCustomDomain).not.toThrow();
  });
});
