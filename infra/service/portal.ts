import { CfnOutput, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import {
  AuthorizationType,
  type CfnAccount,
  EndpointType,
  LogGroupLogDestination,
  RestApi,
} from 'aws-cdk-lib/aws-apigateway';
import {
  AllowedMethods,
  CachePolicy,
  Function as CloudFrontFunction,
  Distribution,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  OriginSslPolicy,
  ResponseHeadersPolicy,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import type { CfnPolicy } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import type { Construct } from 'constructs';
import { PORTAL_ROUTES, type PortalRouteDef } from '../../functions/routes.ts';
import { BUILD_ONLY_FILES } from '../../web/dist-layout.ts';
import { PORTAL_CSP } from '../../web/security-headers.ts';
import type { ServiceFunctionFactory, ServiceFunctionOptions } from './function-factory.ts';
import { addErrorResponses, addRouteMethods } from './management-api.ts';
import { FUNCTION_SIZING, MANAGEMENT_STAGE_DEFAULTS } from './management-api-defaults.ts';
import { BASIC_EXECUTION_ROLE, wildcardFindings } from './nag.ts';
import {
  DEFAULT_PORTAL_ASSETS,
  HASHED_FILE_CACHE,
  HSTS_SECONDS,
  PAGE_FILE_CACHE,
  PORTAL_API_PREFIX,
  PORTAL_CUSTOM_HEADERS,
  PORTAL_EXACT_PATHS,
  PORTAL_STAGE,
  PORTAL_THROTTLING,
  PORTAL_VIEWER_REQUEST,
} from './portal-defaults.ts';
import type { PortalOptions } from './props.ts';

export interface PortalSettings {
  readonly name: string;
  readonly options: PortalOptions;
  /** How long the portal's access logs are kept: as long as the management API's. */
  readonly accessLogRetention: RetentionDays;
  /** How long the asset upload's own log is kept. */
  readonly logRetention: RetentionDays;
}

/**
 * The self-service portal in AWS: the built app in a private bucket, served by CloudFront through
 * origin access control; the portal's routes on a REST API of their own (no IAM: each function
 * checks the session cookie), reached through the same distribution. The portal API holds the
 * portal routes and nothing else, so nothing in the portal's path reaches a management route.
 */
export class Portal {
  /** The portal's origin, `https://<domainName or the distribution's name>`: what links are made for. */
  readonly url: string;
  readonly api: RestApi;
  readonly distribution: Distribution;
  /** The bucket of the built app. */
  readonly bucket: Bucket;

  constructor(
    private readonly scope: Construct,
    private readonly settings: PortalSettings,
  ) {
    const { name, options } = settings;
    const logs = new Bucket(scope, 'PortalLogs', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      // CloudFront's standard logs arrive with an ACL, which a bucket owner-enforced bucket refuses.
      objectOwnership: ObjectOwnership.OBJECT_WRITER,
      lifecycleRules:
        settings.accessLogRetention === RetentionDays.INFINITE
          ? []
          : [{ expiration: Duration.days(settings.accessLogRetention) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.bucket = new Bucket(scope, 'PortalAssets', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      serverAccessLogsBucket: logs,
      serverAccessLogsPrefix: 'portal-assets/',
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.api = new RestApi(scope, 'PortalApi', {
      restApiName: `${name}-portal`,
      description:
        "Latchkey portal API: a portal session's keys (/portal/api) and the link's landing (/portal/enter).",
      endpointConfiguration: { types: [EndpointType.REGIONAL] },
      // The account's API Gateway logging role is the management API's (one per account and Region).
      cloudWatchRole: false,
      deployOptions: {
        ...MANAGEMENT_STAGE_DEFAULTS,
        stageName: PORTAL_STAGE,
        accessLogDestination: new LogGroupLogDestination(
          new LogGroup(scope, 'PortalApiAccessLogs', {
            retention: settings.accessLogRetention,
            removalPolicy: RemovalPolicy.RETAIN,
          }),
        ),
        throttlingRateLimit: PORTAL_THROTTLING.rateLimit,
        throttlingBurstLimit: PORTAL_THROTTLING.burstLimit,
      },
    });
    // Reached through the distribution: the stack's output is the portal's URL, not this API's own.
    this.api.node.tryRemoveChild('Endpoint');
    // Its throttling and the web ACL refuse in the error shape the functions answer with.
    addErrorResponses(this.api);
    Validations.of(this.api).acknowledge({
      id: 'AwsSolutions-COG4',
      reason:
        "The portal's users are the team's own users, signed in by the team's product: a portal session (a one-time link exchanged for an HttpOnly, SameSite=Strict cookie) is their credential, checked by each function. There are no Cognito users.",
    });
    this.distribution = this.makeDistribution(logs);
    this.url = `https://${options.domainName ?? this.distribution.distributionDomainName}`;
    this.deployAssets(options.assets ?? DEFAULT_PORTAL_ASSETS);
    new CfnOutput(scope, 'PortalUrl', {
      description: 'The self-service portal: POST /v1/portal/sessions makes links to it.',
      value: this.url,
    });
  }

  /**
   * One function per portal route on the portal API, each told the portal's origin. The stage logs
   * through the account's API Gateway role, which the management API sets (`account`).
   */
  serve(functions: ServiceFunctionFactory, account: CfnAccount): void {
    const methods = addRouteMethods(
      this.api,
      PORTAL_ROUTES,
      (route) => functions.forHandler(this.functionOptions(route)),
      () => ({ authorizationType: AuthorizationType.NONE }),
    );
    for (const { route, method } of methods) {
      Validations.of(method).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason: `${route.method} ${route.path} is a portal route: a browser has no AWS identity, so its function authenticates the request itself (${route.path.startsWith(`${PORTAL_API_PREFIX}/`) ? 'the session cookie, and the Origin of every change' : "the link's one-time code"}).`,
      });
    }
    this.api.deploymentStage.node.addDependency(account);
  }

  private functionOptions(route: PortalRouteDef): ServiceFunctionOptions {
    return {
      handler: route.handler,
      environment: { LATCHKEY_PORTAL_URL: this.url },
      ...FUNCTION_SIZING[route.handler],
    };
  }

  private makeDistribution(logs: Bucket): Distribution {
    const { scope } = this;
    const { name, options } = this.settings;
    const stack = Stack.of(scope);
    const viewerRequest = new CloudFrontFunction(scope, 'PortalViewerRequest', {
      comment: `${name}: portal page paths to the app, the viewer's address to the portal API`,
      code: FunctionCode.fromInline(PORTAL_VIEWER_REQUEST),
      runtime: FunctionRuntime.JS_2_0,
      autoPublish: true,
    });
    const headers = new ResponseHeadersPolicy(scope, 'PortalHeaders', {
      comment: `${name}: the portal's Content-Security-Policy and its companions`,
      securityHeadersBehavior: {
        // As the local server sends it: the app's, with images from any https origin, for the team's
        // logo (`branding.logoUrl`). The functions' own pages (the link's 401 page) carry a stricter
        // policy of their own.
        contentSecurityPolicy: { contentSecurityPolicy: PORTAL_CSP, override: false },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.seconds(HSTS_SECONDS),
          includeSubdomains: true,
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
      },
      customHeadersBehavior: {
        customHeaders: PORTAL_CUSTOM_HEADERS.map(([header, value]) => ({ header, value, override: true })),
      },
    });
    const functionAssociations = [{ function: viewerRequest, eventType: FunctionEventType.VIEWER_REQUEST }];
    // By the REST API's ID and a literal stage (not the stage resource): see PORTAL_STAGE.
    const apiOrigin = new HttpOrigin(`${this.api.restApiId}.execute-api.${stack.region}.${stack.urlSuffix}`, {
      originPath: `/${PORTAL_STAGE}`,
      protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
      originSslProtocols: [OriginSslPolicy.TLS_V1_2],
    });
    const toApi = (allowedMethods: AllowedMethods) => ({
      origin: apiOrigin,
      viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
      allowedMethods,
      cachePolicy: CachePolicy.CACHING_DISABLED,
      // API Gateway answers 403 to a Host that is not its own; cookies, query and Origin go through.
      originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      responseHeadersPolicy: headers,
      functionAssociations,
    });
    const distribution = new Distribution(scope, 'PortalDistribution', {
      comment: `${name}: the self-service portal`,
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: headers,
        functionAssociations,
      },
      additionalBehaviors: {
        [`${PORTAL_API_PREFIX}/*`]: toApi(AllowedMethods.ALLOW_ALL),
        ...Object.fromEntries(PORTAL_EXACT_PATHS.map((path) => [path, toApi(AllowedMethods.ALLOW_GET_HEAD)])),
      },
      httpVersion: HttpVersion.HTTP2_AND_3,
      ...(options.domainName && options.certificate
        ? {
            domainNames: [options.domainName],
            certificate: options.certificate,
            minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
          }
        : {}),
      // Standard logs hold no cookies (the session token); a link's code (its query) is logged only
      // once presented, when it is spent, and logs arrive long after its ten minutes.
      enableLogging: true,
      logBucket: logs,
      logFilePrefix: 'cloudfront/',
      logIncludesCookies: false,
    });
    const acknowledge = (id: string, reason: string) =>
      Validations.of(distribution).acknowledge({ id, reason });
    acknowledge(
      'AwsSolutions-CFR1',
      "The portal is for the team's users wherever they are; the team decides who gets a link.",
    );
    acknowledge(
      'AwsSolutions-CFR2',
      'A web ACL for CloudFront must be made in us-east-1, and this stack may be in any Region. The regional web ACL on the portal API limits the link landing per viewer address (stamped by the viewer-request function); the API is cookie-authenticated and throttled, and the pages are static files. Attach an ACL made in us-east-1 with portal.distribution.attachWebAclId() where one is wanted.',
    );
    if (!options.domainName)
      acknowledge(
        'AwsSolutions-CFR4',
        'Without portal.domainName the distribution answers on its *.cloudfront.net name, whose default certificate CloudFront serves with its own TLS policy; with a domain name the minimum is TLS 1.2 (TLSv1.2_2021).',
      );
    return distribution;
  }

  /**
   * The built app into the bucket: hashed files (`assets/…`) cached for a year, every other file
   * revalidated (index.html names the current hashed files); what the build writes for itself
   * stays out.
   */
  private deployAssets(assets: string): void {
    const source = Source.asset(assets);
    const logGroup = new LogGroup(this.scope, 'PortalAssetsUploadLogs', {
      retention: this.settings.logRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // Old hashed files stay: a page loaded before a deployment still finds its scripts.
    const hashed = new BucketDeployment(this.scope, 'PortalHashedFiles', {
      sources: [source],
      destinationBucket: this.bucket,
      exclude: ['*'],
      include: ['assets/*'],
      prune: false,
      cacheControl: [CacheControl.fromString(HASHED_FILE_CACHE)],
      logGroup,
    });
    const pages = new BucketDeployment(this.scope, 'PortalPageFiles', {
      sources: [source],
      destinationBucket: this.bucket,
      exclude: ['assets/*', ...BUILD_ONLY_FILES],
      prune: true,
      cacheControl: [CacheControl.fromString(PAGE_FILE_CACHE)],
      logGroup,
    });
    // The new hashed files are in place before the index.html that names them.
    pages.node.addDependency(hashed);
    // CDK's upload function (one per stack, shared by both deployments) and its role.
    const role = hashed.handlerRole;
    const handler = role.node.scope as Construct;
    const acknowledge = (id: string, reason: string) => Validations.of(handler).acknowledge({ id, reason });
    acknowledge(
      BASIC_EXECUTION_ROLE,
      "CDK's BucketDeployment function writes its logs with the AWS-managed basic execution role.",
    );
    const policy = role.node.tryFindChild('DefaultPolicy')?.node.defaultChild as CfnPolicy | undefined;
    for (const finding of policy ? wildcardFindings(policy) : [])
      acknowledge(
        finding,
        "CDK's BucketDeployment function copies the built app from the CDK assets bucket into the portal's bucket: it reads and writes objects under those two buckets only, by names it learns at deploy time (the actions are CDK's grantRead and grantReadWrite).",
      );
    acknowledge(
      'AwsSolutions-L1',
      "The runtime of CDK's BucketDeployment function is the one aws-cdk-lib ships it with, tested with it.",
    );
  }
}
