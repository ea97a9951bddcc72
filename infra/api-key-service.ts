import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { IAuthorizer, IRestApi, RestApi, Stage } from 'aws-cdk-lib/aws-apigateway';
import type { HttpLambdaAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import type { Dashboard } from 'aws-cdk-lib/aws-cloudwatch';
import type { TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import type { Grant, IGrantable } from 'aws-cdk-lib/aws-iam';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Topic } from 'aws-cdk-lib/aws-sns';
import type { CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import type { ManagementPermission } from '../functions/routes.ts';
import type { LatchkeyFunction } from './latchkey-function.ts';
import { createAuthorizerFunction, createUsageIngest } from './service/authorizer-function.ts';
import {
  AuthorizerAttachments,
  type HttpAuthorizerOptions,
  type RestAuthorizerOptions,
} from './service/authorizer-helpers.ts';
import { admitOnlyPublishers, serviceEventBus } from './service/event-bus.ts';
import { publishingRoles } from './service/function-access.ts';
import { ServiceFunctionFactory } from './service/function-factory.ts';
import { createCredentialReports, createGraceCheck } from './service/incident-response.ts';
import { createManagementApi } from './service/management-api.ts';
import { retentionCovering } from './service/management-api-defaults.ts';
import { suppressNagFindings } from './service/nag.ts';
import { createOperations } from './service/operations.ts';
import { createPepperRotation } from './service/pepper-rotation.ts';
import { Portal } from './service/portal.ts';
import type { ApiKeyServiceProps } from './service/props.ts';
import { createSweep } from './service/sweep.ts';
import { createTables, type DeployedTableId } from './service/tables.ts';
import { UsagePlans } from './service/usage-plans.ts';
import { validate } from './service/validate.ts';
import { VerificationLog } from './service/verification-log.ts';

export type { HttpAuthorizerOptions, RestAuthorizerOptions } from './service/authorizer-helpers.ts';
export { type Access, FUNCTION_ACCESS } from './service/function-access.ts';
export type { Portal } from './service/portal.ts';
export type {
  ApiKeyServiceProps,
  LeakReportOptions,
  PortalOptions,
  UsagePlanStage,
  VerificationLogOptions,
  WafOptions,
  WorkspaceSource,
} from './service/props.ts';

/**
 * Latchkey in one construct: the tables, the management API (IAM-authorized), the Lambda
 * authorizer for your APIs, the rotation sweep on a schedule, lifecycle events, alarms, a
 * dashboard, and the self-service portal (CloudFront, S3 and an API of its own). Table layouts
 * come from the same definitions the local server uses.
 */
export class ApiKeyService extends Construct {
  readonly tables: Readonly<Record<DeployedTableId, TableV2>>;
  readonly api: RestApi;
  /** The WAF web ACL on the management and portal API stages (undefined with `waf.enabled: false`). */
  readonly webAcl?: CfnWebACL;
  /** The self-service portal: its URL, distribution, bucket and API (undefined with `portal.enabled: false`). */
  readonly portal?: Portal;
  /** The Lambda authorizer function; attach it with `restAuthorizer()` or `httpAuthorizer()`. */
  readonly authorizer: LatchkeyFunction;
  readonly sweep: LatchkeyFunction;
  readonly pepper: Secret;
  /** Where lifecycle events go: Latchkey's own bus, or `eventBus`. */
  readonly eventBus: IEventBus;
  readonly alarmTopic: Topic;
  readonly functions: Readonly<Record<string, LatchkeyFunction>>;
  readonly dashboard: Dashboard;
  /** One API Gateway usage plan per plan (`plans`), and in `shared` mode each plan's API key. */
  readonly usagePlans: UsagePlans;
  /** Every check's record in S3 (`verificationLog: { s3: true }`); undefined when off. */
  readonly verificationLog?: VerificationLog;
  private readonly attachments: AuthorizerAttachments;
  private readonly grantRoutes: (grantee: IGrantable, permission: ManagementPermission) => Grant;

  constructor(scope: Construct, id: string, props: ApiKeyServiceProps = {}) {
    super(scope, id);
    validate(props);
    const name = props.environmentName ?? 'latchkey';
    const logRetention = props.logRetention ?? RetentionDays.ONE_MONTH;

    this.tables = createTables(this);
    this.pepper = new Secret(this, 'Pepper', {
      description: `${name}: HMAC pepper for API key hashes. Rotation adds a version and keeps old ones under "previous".`,
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ version: '1' }),
        generateStringKey: 'pepper',
        passwordLength: 48,
        excludePunctuation: true,
      },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const events = serviceEventBus(this, name, props.eventBus);
    const bus = events.bus;
    this.eventBus = bus;
    const functions = new ServiceFunctionFactory(
      this,
      { tables: this.tables, pepper: this.pepper, bus },
      { ...props, logRetention },
    );

    // Made before the API, which finds them by handler: the public report needs its check's name.
    const reports = createCredentialReports(this, functions, props.leakReport);
    const accessLogRetention = props.accessLogRetention ?? retentionCovering(props.auditRetentionDays ?? 400);
    this.portal =
      props.portal?.enabled === false
        ? undefined
        : new Portal(this, { name, options: props.portal ?? {}, accessLogRetention, logRetention });
    const { api, account, healthMethod, webAcl, grantRoutes } = createManagementApi(this, {
      name,
      accessLogRetention,
      throttling: props.managementThrottling,
      functions,
      leakReport: props.leakReport,
      waf: props.waf,
      portal: this.portal && { url: this.portal.url, stage: this.portal.api.deploymentStage },
    });
    this.api = api;
    this.webAcl = webAcl;
    this.grantRoutes = grantRoutes;
    this.portal?.serve(functions, account);

    this.authorizer = createAuthorizerFunction(functions, props);
    if (props.verificationLog?.s3)
      this.verificationLog = new VerificationLog(this, 'VerificationLog', {
        name,
        retentionDays: props.verificationLog.retentionDays ?? 365,
        logRetention,
      });
    const { failures: usageFailures } = createUsageIngest(
      this,
      functions,
      { authorizer: this.authorizer, credentialsCheck: reports.check },
      this.verificationLog,
    );
    createGraceCheck(this, functions);
    const { sweep, failures: sweepFailures } = createSweep(this, functions, props.sweepSchedule);
    this.sweep = sweep;
    const pepperRotation = createPepperRotation(functions, this.pepper, props.pepperRotationDays ?? 90);
    this.functions = functions.functions;
    this.usagePlans = new UsagePlans(this, props, functions.functions, this.tables.keys.tableArn);
    admitOnlyPublishers(this, events, publishingRoles(functions.functions));

    const operations = createOperations(this, {
      name,
      bus,
      alarmEmail: props.alarmEmail,
      failedAuthAlarmThreshold: props.failedAuthAlarmThreshold,
      api,
      portalApi: this.portal?.api,
      authorizer: this.authorizer,
      sweep,
      sweepFailures,
      usageFailures,
      leakFunctions: pickFunctions(functions.functions, [
        'leaks-github',
        'leaks-report',
        'credentials-check',
      ]),
      pepperRotation,
      tables: this.tables,
    });
    this.alarmTopic = operations.alarmTopic;
    this.dashboard = operations.dashboard;

    this.attachments = new AuthorizerAttachments(this.authorizer, {
      cacheTtl: props.authorizerResultsCacheTtl ?? Duration.seconds(0),
      workspaceSource: props.workspaceSource,
      keyHeader: props.keyHeader ?? 'Authorization',
      usagePlans: Object.keys(this.usagePlans.plans).length > 0,
    });
    suppressNagFindings(this, healthMethod, webAcl !== undefined);
  }

  /**
   * Attaches the authorizer to one of your REST APIs (TOKEN or REQUEST), with gateway responses
   * that carry the refusal code. Idempotent per API and type: calling it again for the same API
   * returns the authorizer it made the first time, so every method can ask for it.
   */
  restAuthorizer(api: RestApi, options: RestAuthorizerOptions = {}): IAuthorizer {
    return this.attachments.restAuthorizer(api, options);
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
    return this.attachments.httpAuthorizer(scope, id, options);
  }

  /** Attaches every usage plan to one more protected REST API stage (see `usagePlanStages`). */
  addUsagePlanStage(api: IRestApi, stage: Stage) {
    this.usagePlans.addStage(api, stage);
  }

  /** Grants `execute-api:Invoke` on exactly the management routes under each seed permission. */
  grantKeyCreate(grantee: IGrantable) {
    return this.grantRoutes(grantee, 'api.key.create');
  }
  grantKeyUpdate(grantee: IGrantable) {
    return this.grantRoutes(grantee, 'api.key.update');
  }
  grantKeyDelete(grantee: IGrantable) {
    return this.grantRoutes(grantee, 'api.key.delete');
  }
  grantKeyView(grantee: IGrantable) {
    return this.grantRoutes(grantee, 'api.key.view');
  }
}

/** The functions of `handlers`, each of which must exist. */
function pickFunctions(functions: Readonly<Record<string, LatchkeyFunction>>, handlers: readonly string[]) {
  return Object.fromEntries(
    handlers.map((handler) => {
      const fn = functions[handler];
      if (!fn) throw new Error(`ApiKeyService: the ${handler} function is missing`);
      return [handler, fn];
    }),
  );
}
