import { ArnFormat, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import {
  AccessLogFormat,
  AuthorizationType,
  EndpointType,
  type IAuthorizer,
  type IdentitySource,
  LambdaIntegration,
  LogGroupLogDestination,
  type Method,
  MethodLoggingLevel,
  RequestAuthorizer,
  type Resource,
  ResponseType,
  RestApi,
  TokenAuthorizer,
} from 'aws-cdk-lib/aws-apigateway';
import { HttpLambdaAuthorizer, HttpLambdaResponseType } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import {
  Alarm,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IMetric,
  MathExpression,
  Metric,
  SingleValueWidget,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { AttributeType, Billing, TableEncryptionV2, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { EventBus, type IEventBus, type IRuleTarget, Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { Grant, type IGrantable, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { type IFunction, Function as LambdaFunctionRef } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { FilterPattern, LogGroup, RetentionDays, SubscriptionFilter } from 'aws-cdk-lib/aws-logs';
import { LambdaDestination } from 'aws-cdk-lib/aws-logs-destinations';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { parseRouteMap } from '../functions/domain/route-policy.ts';
import { REFUSALS } from '../functions/domain/verify.ts';
import {
  AUTHORIZER_CHECK_DEADLINE_MS,
  AUTHORIZER_CLIENT_BOUNDS,
  parseWorkspaceSource,
} from '../functions/platform/authorizer-config.ts';
import { MANAGEMENT_ROUTES, type ManagementPermission } from '../functions/routes.ts';
import { INDEX, TABLES, type TableId } from '../functions/store/tables.ts';
import { LatchkeyFunction } from './latchkey-function.ts';

/** Where a protected API's workspace comes from (see the README's authorizer settings). */
export type WorkspaceSource = `fixed:${string}` | `header:${string}` | `path:${string}`;

export interface ApiKeyServiceProps {
  /**
   * Name of this deployment (`prod`, `dev`, …), used in resource names and the dashboard.
   * @default 'latchkey'
   */
  readonly environmentName?: string;
  /**
   * Route map of the protected APIs: `{ "GET /orders/*": "orders:read" }`.
   * @default {} (every route needs its method's default permission)
   */
  readonly routePermissions?: Readonly<Record<string, string>>;
  /**
   * Where the workspace of a protected request comes from.
   * @default undefined (no workspace check)
   */
  readonly workspaceSource?: WorkspaceSource;
  /**
   * How long API Gateway may cache an authorizer result. Revocation then takes up to this long.
   * @default Duration.seconds(0) (no caching: revocation takes effect on the next request)
   */
  readonly authorizerResultsCacheTtl?: Duration;
  /**
   * The header clients send the key in, used where API Gateway needs an identity source: TOKEN
   * authorizers and cached results. Uncached REQUEST and HTTP authorizers take either
   * `Authorization: Bearer` or `x-api-key`.
   * @default 'Authorization'
   */
  readonly keyHeader?: 'Authorization' | 'x-api-key';
  /**
   * Maximum keys an owner may hold (active or disabled).
   * @default 100
   */
  readonly maxActiveKeysPerOwner?: number;
  /**
   * When the rotation sweep runs.
   * @default Schedule.rate(Duration.days(1))
   */
  readonly sweepSchedule?: Schedule;
  /**
   * Days between reminders for a key that stays due for rotation.
   * @default 7
   */
  readonly reminderIntervalDays?: number;
  /**
   * Days before expiry that the "expiring soon" event goes out.
   * @default 7
   */
  readonly expiringSoonDays?: number;
  /**
   * E-mail address that receives alarms and rotation reminders (through SNS).
   * @default undefined (no e-mail)
   */
  readonly alarmEmail?: string;
  /**
   * Refused checks per 5 minutes that raise the failed-auth alarm.
   * @default 100
   */
  readonly failedAuthAlarmThreshold?: number;
  /**
   * Event bus for lifecycle events.
   * @default the account's default bus
   */
  readonly eventBus?: IEventBus;
  /**
   * Days audit records are kept.
   * @default 400
   */
  readonly auditRetentionDays?: number;
  /**
   * Management API stage throttling (requests per second, and burst).
   * @default { rateLimit: 50, burstLimit: 100 }
   */
  readonly managementThrottling?: { readonly rateLimit: number; readonly burstLimit: number };
  /**
   * How long function and access logs are kept.
   * @default RetentionDays.ONE_MONTH
   */
  readonly logRetention?: RetentionDays;
}

/** DynamoDB actions each function may take, per table, and what else it may touch. */
interface Access {
  readonly tables: Partial<Record<TableId, readonly string[]>>;
  /** What `dynamodb:Query` may read, per table: `table` or index names. @default the table and all its indexes */
  readonly queries?: Partial<Record<TableId, readonly string[]>>;
  readonly pepper?: boolean;
  readonly events?: boolean;
  /** May set lastUsedAt on keys, and no other attribute (an IAM condition). */
  readonly lastUsedAt?: boolean;
}

const KEY_WRITE = {
  keys: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
  owners: ['dynamodb:UpdateItem'],
  roles: ['dynamodb:UpdateItem'],
  audit: ['dynamodb:PutItem'],
} as const;

/** The sweep reads only its two sparse indexes and writes keys through transactions (UpdateItem on the table). */
const SWEEP: Access = {
  tables: {
    keys: ['dynamodb:Query', 'dynamodb:UpdateItem'],
    owners: ['dynamodb:UpdateItem'],
    audit: ['dynamodb:PutItem'],
  },
  queries: { keys: [INDEX.keysRotationSweep, INDEX.keysExpirySweep] },
  events: true,
};

/** Least privilege, function by function: exactly the calls its code makes. */
export const FUNCTION_ACCESS: Readonly<Record<string, Access>> = {
  'keys-create': {
    tables: {
      keys: ['dynamodb:PutItem'],
      owners: ['dynamodb:UpdateItem'],
      roles: ['dynamodb:BatchGetItem', 'dynamodb:UpdateItem'],
      audit: ['dynamodb:PutItem'],
    },
    pepper: true,
    events: true,
  },
  'keys-list': { tables: { keys: ['dynamodb:Query'] } },
  'keys-get': { tables: { keys: ['dynamodb:GetItem'] } },
  'keys-update': {
    tables: { ...KEY_WRITE, roles: ['dynamodb:BatchGetItem', 'dynamodb:UpdateItem'] },
    events: true,
  },
  'keys-revoke': { tables: KEY_WRITE, events: true },
  'keys-delete': {
    tables: { ...KEY_WRITE, keys: ['dynamodb:GetItem', 'dynamodb:DeleteItem'] },
    events: true,
  },
  'keys-rotate': {
    tables: {
      ...KEY_WRITE,
      keys: ['dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:PutItem'],
      idempotency: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
    },
    pepper: true,
    events: true,
  },
  'keys-usage': { tables: { keys: ['dynamodb:GetItem'], usage: ['dynamodb:Query'] } },
  'audit-list': { tables: { audit: ['dynamodb:Query'] } },
  // Like the authorizer, verify only reads in AWS: its usage goes through its log (usage-ingest).
  verify: { tables: { keys: ['dynamodb:GetItem'], roles: ['dynamodb:BatchGetItem'] }, pepper: true },
  'roles-list': { tables: { roles: ['dynamodb:Scan'] } },
  'roles-create': { tables: { roles: ['dynamodb:PutItem'], audit: ['dynamodb:PutItem'] } },
  'roles-get': { tables: { roles: ['dynamodb:GetItem'] } },
  'roles-put': {
    tables: { roles: ['dynamodb:GetItem', 'dynamodb:UpdateItem'], audit: ['dynamodb:PutItem'] },
  },
  'roles-delete': {
    tables: { roles: ['dynamodb:GetItem', 'dynamodb:DeleteItem'], audit: ['dynamodb:PutItem'] },
  },
  'rotation-sweep': SWEEP,
  'sweep-scheduled': SWEEP,
  healthz: { tables: { keys: ['dynamodb:GetItem'] } },
  whoami: { tables: {} },
  // The authorizer only reads; usage reaches the tables through its log (usage-ingest).
  authorizer: { tables: { keys: ['dynamodb:GetItem'], roles: ['dynamodb:BatchGetItem'] }, pepper: true },
  'usage-ingest': { tables: { usage: ['dynamodb:UpdateItem'] }, lastUsedAt: true },
};

const TABLE_ENV = (id: TableId) => `LATCHKEY_${id.toUpperCase()}_TABLE`;

/**
 * Latchkey in one construct: the tables, the management API (IAM-authorized), the Lambda
 * authorizer for your APIs, the rotation sweep on a schedule, lifecycle events, alarms and a
 * dashboard. Table layouts come from the same definitions the local server uses.
 */
export class ApiKeyService extends Construct {
  readonly tables: Readonly<Record<Exclude<TableId, 'events'>, TableV2>>;
  readonly api: RestApi;
  /** The Lambda authorizer function; attach it with `restAuthorizer()` or `httpAuthorizer()`. */
  readonly authorizer: LatchkeyFunction;
  readonly sweep: LatchkeyFunction;
  readonly pepper: Secret;
  readonly alarmTopic: Topic;
  readonly functions: Readonly<Record<string, LatchkeyFunction>>;
  readonly dashboard: Dashboard;
  private readonly healthMethod: Method;
  private readonly cacheTtl: Duration;
  private readonly workspaceSource: WorkspaceSource | undefined;
  private readonly keyHeader: string;
  private readonly restAuthorizers = new Map<string, IAuthorizer>();
  private readonly httpAuthorizers = new Map<string, HttpLambdaAuthorizer>();

  constructor(scope: Construct, id: string, props: ApiKeyServiceProps = {}) {
    super(scope, id);
    validate(props);
    const name = props.environmentName ?? 'latchkey';
    this.cacheTtl = props.authorizerResultsCacheTtl ?? Duration.seconds(0);
    this.workspaceSource = props.workspaceSource;
    this.keyHeader = props.keyHeader ?? 'Authorization';
    const logRetention = props.logRetention ?? RetentionDays.ONE_MONTH;

    const tables = {} as Record<Exclude<TableId, 'events'>, TableV2>;
    for (const def of Object.values(TABLES)) {
      if (def.localOnly) continue;
      tables[def.id as Exclude<TableId, 'events'>] = new TableV2(
        this,
        `${def.id[0]?.toUpperCase()}${def.id.slice(1)}Table`,
        {
          partitionKey: { name: def.partitionKey, type: AttributeType.STRING },
          sortKey: def.sortKey ? { name: def.sortKey, type: AttributeType.STRING } : undefined,
          timeToLiveAttribute: def.ttlAttribute,
          globalSecondaryIndexes: def.indexes.map((index) => ({
            indexName: index.name,
            partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
            sortKey: index.sortKey ? { name: index.sortKey, type: AttributeType.STRING } : undefined,
          })),
          billing: Billing.onDemand(),
          pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
          deletionProtection: true,
          encryption: TableEncryptionV2.awsManagedKey(),
          removalPolicy: RemovalPolicy.RETAIN,
        },
      );
    }
    this.tables = tables;

    this.pepper = new Secret(this, 'Pepper', {
      description: `${name}: HMAC pepper for API key hashes. Keep old versions under "previous" when rotating it.`,
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ version: '1' }),
        generateStringKey: 'pepper',
        passwordLength: 48,
        excludePunctuation: true,
      },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const bus = props.eventBus ?? EventBus.fromEventBusName(this, 'Bus', 'default');

    const environment: Record<string, string> = {
      LATCHKEY_PEPPER_SECRET_ARN: this.pepper.secretArn,
      LATCHKEY_EVENT_BUS_NAME: bus.eventBusName,
      LATCHKEY_MAX_ACTIVE_KEYS_PER_OWNER: String(props.maxActiveKeysPerOwner ?? 100),
      LATCHKEY_REMINDER_INTERVAL_DAYS: String(props.reminderIntervalDays ?? 7),
      LATCHKEY_EXPIRING_SOON_DAYS: String(props.expiringSoonDays ?? 7),
      LATCHKEY_AUDIT_RETENTION_DAYS: String(props.auditRetentionDays ?? 400),
    };
    for (const [tableId, table] of Object.entries(tables))
      environment[TABLE_ENV(tableId as TableId)] = table.tableName;

    const functions: Record<string, LatchkeyFunction> = {};
    const make = (
      handler: string,
      extra: Record<string, string> = {},
      memorySize?: number,
      timeout?: Duration,
    ) => {
      const access = FUNCTION_ACCESS[handler];
      if (!access) throw new Error(`ApiKeyService: no access rules for handler "${handler}"`);
      const fn = new LatchkeyFunction(this, toId(handler), {
        handler,
        environment: { ...environment, ...extra },
        memorySize,
        timeout,
        logRetention,
      });
      for (const [tableId, actions = []] of Object.entries(access.tables)) {
        const table = tables[tableId as Exclude<TableId, 'events'>];
        const itemActions = actions.filter((action) => action !== 'dynamodb:Query');
        if (itemActions.length)
          fn.addToRolePolicy(new PolicyStatement({ actions: itemActions, resources: [table.tableArn] }));
        if (actions.includes('dynamodb:Query')) {
          // Queries name the table or each index the code reads; nothing is wildcarded.
          const known = ['table', ...TABLES[tableId as TableId].indexes.map((index) => index.name)];
          const read = access.queries?.[tableId as TableId] ?? known;
          const unknown = read.filter((name) => !known.includes(name));
          if (unknown.length)
            throw new Error(
              `ApiKeyService: ${handler} queries unknown indexes of ${tableId}: ${unknown.join(', ')}`,
            );
          fn.addToRolePolicy(
            new PolicyStatement({
              actions: ['dynamodb:Query'],
              resources: read.map((name) =>
                name === 'table' ? table.tableArn : `${table.tableArn}/index/${name}`,
              ),
            }),
          );
        }
      }
      if (access.lastUsedAt) {
        fn.addToRolePolicy(
          new PolicyStatement({
            actions: ['dynamodb:UpdateItem'],
            resources: [tables.keys.tableArn],
            conditions: { 'ForAllValues:StringEquals': { 'dynamodb:Attributes': ['keyId', 'lastUsedAt'] } },
          }),
        );
      }
      if (access.pepper) this.pepper.grantRead(fn);
      if (access.events) bus.grantPutEventsTo(fn);
      functions[handler] = fn;
      return fn;
    };

    // The management API: IAM (SigV4) on every method, validated requests, access logs, throttling.
    const accessLogs = new LogGroup(this, 'ApiAccessLogs', {
      retention: logRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.api = new RestApi(this, 'ManagementApi', {
      restApiName: `${name}-management`,
      description: 'Latchkey management API: keys, roles, usage, audit, rotation.',
      endpointConfiguration: { types: [EndpointType.REGIONAL] },
      cloudWatchRole: true,
      cloudWatchRoleRemovalPolicy: RemovalPolicy.RETAIN,
      defaultMethodOptions: { authorizationType: AuthorizationType.IAM },
      deployOptions: {
        stageName: 'v1',
        accessLogDestination: new LogGroupLogDestination(accessLogs),
        accessLogFormat: AccessLogFormat.jsonWithStandardFields(),
        loggingLevel: MethodLoggingLevel.ERROR,
        dataTraceEnabled: false,
        tracingEnabled: true,
        metricsEnabled: true,
        throttlingRateLimit: props.managementThrottling?.rateLimit ?? 50,
        throttlingBurstLimit: props.managementThrottling?.burstLimit ?? 100,
      },
    });
    const validator = this.api.addRequestValidator('Validator', {
      validateRequestBody: true,
      validateRequestParameters: true,
    });
    for (const route of MANAGEMENT_ROUTES) {
      if (route.localOnly) continue;
      const fn =
        functions[route.handler] ??
        make(
          route.handler,
          route.handler === 'verify' ? { LATCHKEY_USAGE_SOURCE: 'logs' } : {},
          route.handler === 'keys-rotate' ? 512 : undefined,
        );
      const resource = route.path
        .split('/')
        .filter(Boolean)
        .reduce<Resource>((parent, part) => parent.resourceForPath(part), this.api.root as Resource);
      resource.addMethod(route.method, new LambdaIntegration(fn), { requestValidator: validator });
    }
    const health = make('healthz');
    this.healthMethod = this.api.root.addResource('healthz').addMethod('GET', new LambdaIntegration(health), {
      authorizationType: AuthorizationType.NONE,
    });

    // The authorizer your APIs call on every request.
    this.authorizer = make(
      'authorizer',
      {
        LATCHKEY_ROUTE_PERMISSIONS: JSON.stringify(props.routePermissions ?? {}),
        LATCHKEY_USAGE_SOURCE: 'logs',
        // Every DynamoDB and Secrets Manager call fails well inside the 5 s timeout, so a fault is logged and counted.
        LATCHKEY_AWS_CONNECTION_TIMEOUT_MS: String(AUTHORIZER_CLIENT_BOUNDS.connectionTimeoutMs),
        LATCHKEY_DYNAMODB_TIMEOUT_MS: String(AUTHORIZER_CLIENT_BOUNDS.requestTimeoutMs),
        LATCHKEY_DYNAMODB_MAX_ATTEMPTS: String(AUTHORIZER_CLIENT_BOUNDS.maxAttempts),
        LATCHKEY_CHECK_DEADLINE_MS: String(AUTHORIZER_CHECK_DEADLINE_MS),
        ...(props.workspaceSource ? { LATCHKEY_WORKSPACE_SOURCE: props.workspaceSource } : {}),
        ...(props.keyHeader ? { LATCHKEY_KEY_HEADER: props.keyHeader } : {}),
      },
      512,
      Duration.seconds(5),
    );
    // Usage from the authorizer's per-check EMF lines, through a log subscription: the authorizer
    // writes nothing, and counts outlive the instance that made them.
    const ingest = make('usage-ingest', {}, 256, Duration.seconds(30));
    const usageFailures = new Queue(this, 'UsageFailures', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    ingest.configureAsyncInvoke({ retryAttempts: 2, onFailure: new SqsDestination(usageFailures) });
    new SubscriptionFilter(this, 'UsageFromAuthorizerLog', {
      logGroup: this.authorizer.logGroupRef,
      destination: new LambdaDestination(ingest),
      filterPattern: FilterPattern.exists('$.usage'),
    });
    // POST /v1/verify counts the same way, so its counts outlive its instances too.
    const verify = functions.verify;
    if (!verify) throw new Error('ApiKeyService: the verify route is missing');
    new SubscriptionFilter(this, 'UsageFromVerifyLog', {
      logGroup: verify.logGroupRef,
      destination: new LambdaDestination(ingest),
      filterPattern: FilterPattern.exists('$.usage'),
    });

    // The rotation sweep on a schedule; failed runs go to a queue and raise an alarm.
    this.sweep = make('sweep-scheduled', {}, 512, Duration.minutes(5));
    const sweepFailures = new Queue(this, 'SweepFailures', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.sweep.configureAsyncInvoke({ retryAttempts: 2, onFailure: new SqsDestination(sweepFailures) });
    new Rule(this, 'SweepSchedule', {
      description: 'Latchkey: flag keys due for rotation and remind their owners.',
      schedule: props.sweepSchedule ?? Schedule.rate(Duration.days(1)),
      targets: [new LambdaFunction(this.sweep, { retryAttempts: 2, deadLetterQueue: sweepFailures })],
    });
    this.functions = functions;

    // Alarms and rotation reminders go to one SNS topic (and e-mail). EventBridge and CloudWatch
    // publish to it as themselves, so its key must be customer managed (alias/aws/sns cannot
    // grant them): they may use it for this topic only, from this account, from these sources.
    const stack = Stack.of(this);
    const topicName = `${name}-notifications`;
    const alarmName = (id: string) => `${name}-${id}`;
    const topicArn = stack.formatArn({ service: 'sns', resource: topicName });
    const notificationsKey = new Key(this, 'NotificationsKey', {
      description: `${name}: encrypts the alarm and rotation reminder topic`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.alarmTopic = new Topic(this, 'Notifications', {
      topicName,
      displayName: `${name} alarms and rotation reminders`,
      masterKey: notificationsKey,
      enforceSSL: true,
    });
    if (props.alarmEmail) this.alarmTopic.addSubscription(new EmailSubscription(props.alarmEmail));
    // Published to by EventBridge as itself, admitted by the topic policy below (no unconditioned grant).
    const toTopic: IRuleTarget = { bind: () => ({ arn: this.alarmTopic.topicArn }) };
    const reminders = new Rule(this, 'RotationReminders', {
      description: 'Latchkey: rotation-due and expiring-soon events to the notification topic.',
      eventBus: bus,
      eventPattern: { source: ['latchkey'], detailType: ['API Key Rotation Due', 'API Key Expiring Soon'] },
      targets: [toTopic],
    });

    const refused = new Metric({
      namespace: 'Latchkey',
      metricName: 'Refused',
      dimensionsMap: { service: 'latchkey' },
      statistic: 'Sum',
      period: Duration.minutes(5),
    });
    // A wrong key is a thrown Unauthorized, which Lambda counts in Errors: faults are the project's own metric.
    const faults = new Metric({
      namespace: 'Latchkey',
      metricName: 'AuthorizerFault',
      dimensionsMap: { service: 'latchkey' },
      statistic: 'Sum',
      period: Duration.minutes(1),
    });
    // Every alarm fires at or above its threshold in one period, stays quiet without data, and notifies the topic.
    const alarm = (id: string, description: string, metric: IMetric, threshold = 1) =>
      new Alarm(this, id, {
        alarmName: alarmName(id),
        alarmDescription: description,
        metric,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
    const alarms = [
      alarm(
        'AuthorizerErrors',
        'The authorizer failed (DynamoDB or Secrets Manager faults; it fails closed: callers got 500s).',
        faults,
      ),
      alarm(
        'AuthorizerThrottles',
        'The authorizer was throttled: requests to protected APIs failed.',
        this.authorizer.metricThrottles({ period: Duration.minutes(1) }),
      ),
      alarm(
        'FailedAuthSpike',
        'Many refused API keys: a leaked, revoked or guessed key may be in use.',
        refused,
        props.failedAuthAlarmThreshold ?? 100,
      ),
      alarm(
        'SweepFailed',
        'The rotation sweep failed or could not publish its events.',
        new MathExpression({
          expression: 'errors + dlq',
          usingMetrics: {
            errors: this.sweep.metricErrors({ period: Duration.hours(1) }),
            dlq: sweepFailures.metricApproximateNumberOfMessagesVisible({ period: Duration.hours(1) }),
          },
          period: Duration.hours(1),
        }),
      ),
      alarm(
        'UsageIngestFailed',
        'Usage counting failed: batches went to the usage failure queue.',
        usageFailures.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(15) }),
      ),
    ];
    for (const alarm of alarms) alarm.addAlarmAction(new SnsAction(this.alarmTopic));

    const fromAccount = { StringEquals: { 'aws:SourceAccount': stack.account } };
    const publishers = [
      {
        service: 'events.amazonaws.com',
        // The KMS requests of EventBridge's delivery to SNS carry no aws:SourceAccount or
        // aws:SourceArn (AWS documents them as unsupported there: a condition on them would drop
        // every reminder), so its key statement is bound to this topic only; the topic policy
        // checks the source.
        names: undefined,
        arns: [reminders.ruleArn],
      },
      {
        service: 'cloudwatch.amazonaws.com',
        names: alarms.map((a) =>
          stack.formatArn({
            service: 'cloudwatch',
            resource: 'alarm',
            resourceName: alarmName(a.node.id),
            arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          }),
        ),
        arns: alarms.map((a) => a.alarmArn),
      },
    ];
    const one = (values: string[]) => (values.length === 1 ? values[0] : values);
    for (const publisher of publishers) {
      // The key policy names the alarms by ARN text (not references), so the key, the topic and
      // its publishers form no dependency cycle.
      notificationsKey.addToResourcePolicy(
        new PolicyStatement({
          principals: [new ServicePrincipal(publisher.service)],
          actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
          resources: ['*'],
          conditions: publisher.names
            ? {
                StringEquals: {
                  'aws:SourceAccount': stack.account,
                  'kms:EncryptionContext:aws:sns:topicArn': topicArn,
                },
                ArnEquals: { 'aws:SourceArn': one(publisher.names) },
              }
            : { StringEquals: { 'kms:EncryptionContext:aws:sns:topicArn': topicArn } },
        }),
      );
      this.alarmTopic.addToResourcePolicy(
        new PolicyStatement({
          principals: [new ServicePrincipal(publisher.service)],
          actions: ['sns:Publish'],
          resources: [this.alarmTopic.topicArn],
          conditions: { ...fromAccount, ArnEquals: { 'aws:SourceArn': one(publisher.arns) } },
        }),
      );
    }

    this.dashboard = new Dashboard(this, 'Dashboard', { dashboardName: `${name}-api-keys` });
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Checks by decision',
        left: ['VALID', ...REFUSALS].map(
          (code) =>
            new Metric({
              namespace: 'Latchkey',
              metricName: 'Checks',
              dimensionsMap: { service: 'latchkey', code },
              statistic: 'Sum',
              label: code,
            }),
        ),
        width: 12,
      }),
      new GraphWidget({
        title: 'Authorizer',
        left: [
          this.authorizer.metricInvocations(),
          faults.with({ label: 'AuthorizerFault (DynamoDB or Secrets Manager failed)' }),
          this.authorizer.metricThrottles(),
        ],
        right: [this.authorizer.metricDuration({ statistic: 'p99' })],
        width: 12,
      }),
      new SingleValueWidget({ title: 'Refused (5 min)', metrics: [refused], width: 6 }),
      new GraphWidget({
        title: 'Management API',
        left: [this.api.metricClientError(), this.api.metricServerError()],
        width: 12,
      }),
    );

    this.suppressNagFindings();
  }

  /**
   * Attaches the authorizer to one of your REST APIs (TOKEN or REQUEST), with gateway responses
   * that carry the refusal code. Idempotent per API and type: calling it again for the same API
   * returns the authorizer it made the first time, so every method can ask for it.
   */
  restAuthorizer(
    api: RestApi,
    options: { type?: 'TOKEN' | 'REQUEST'; identitySources?: string[] } = {},
  ): IAuthorizer {
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
        templates: {
          'application/json': '{"error":{"code":"UNAUTHORIZED","message":"a valid API key is required"}}',
        },
      });
      api.addGatewayResponse('LatchkeyDenied', {
        type: ResponseType.ACCESS_DENIED,
        statusCode: '403',
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
    return authorizer;
  }

  /**
   * The authorizer function as seen from `scope`: itself in this stack; elsewhere an imported
   * reference, so the invoke permission lives with the consumer's API and no stack cycle forms.
   */
  private authorizerIn(scope: Construct, id: string): IFunction {
    const stack = Stack.of(scope);
    if (stack === Stack.of(this)) return this.authorizer;
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
    options: { requireKeyHeader?: boolean } = {},
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

  private grantRoutes(grantee: IGrantable, permission: ManagementPermission) {
    const arns = MANAGEMENT_ROUTES.filter((r) => r.permission === permission && !r.localOnly).map((r) =>
      this.api.arnForExecuteApi(
        r.method,
        r.path.replace(/\{[^}]+\}/g, '*'),
        this.api.deploymentStage.stageName,
      ),
    );
    return Grant.addToPrincipal({ grantee, actions: ['execute-api:Invoke'], resourceArns: arns });
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

  /** cdk-nag findings this construct accepts, each with its reason. */
  private suppressNagFindings() {
    const acknowledge = (scope: Construct, id: string, reason: string) =>
      Validations.of(scope).acknowledge({ id, reason });
    acknowledge(
      this,
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      'The AWS-managed basic execution role is the minimum for a function to write its logs.',
    );
    acknowledge(
      this,
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
      'API Gateway needs this AWS-managed role to write execution logs.',
    );
    acknowledge(
      this,
      'AwsSolutions-IAM5[Resource::*]',
      'X-Ray tracing (PutTraceSegments, PutTelemetryRecords) takes no resource-level permission.',
    );
    acknowledge(
      this,
      'AwsSolutions-L1',
      'Node.js 22 is the runtime Latchkey is built and tested for; moving to a newer one is a tested change, not a default.',
    );
    acknowledge(
      this,
      'AwsSolutions-SMG4',
      'The pepper rotates by adding a version under "previous" so old hashes keep verifying; automatic rotation would orphan every stored hash.',
    );
    acknowledge(
      this,
      'AwsSolutions-APIG3',
      'The management API takes only IAM-signed requests and is throttled per stage; attach a WAF web ACL at the account level if your policy asks for one.',
    );
    acknowledge(
      this,
      'AwsSolutions-COG4',
      "The management API is authorized with IAM (SigV4): the operator's AWS identity is the actor. There are no Cognito users.",
    );
    acknowledge(
      this,
      'AwsSolutions-SQS3',
      'This queue is itself the dead-letter queue of the rotation sweep.',
    );
    acknowledge(
      this.healthMethod,
      'AwsSolutions-APIG4',
      '/healthz is the readiness probe and returns only {"status":"ok"}; it takes no auth by design.',
    );
  }
}

function toId(handler: string) {
  return handler
    .split('-')
    .map((part) => `${part[0]?.toUpperCase()}${part.slice(1)}`)
    .join('');
}

/** Bad props fail at synth, with a message that says what to change. */
function validate(props: ApiKeyServiceProps) {
  const ttl = props.authorizerResultsCacheTtl?.toSeconds() ?? 0;
  if (ttl < 0 || ttl > 3600)
    throw new Error('ApiKeyService: authorizerResultsCacheTtl must be from 0 to 3600 seconds');
  if (ttl > 0 && props.workspaceSource?.startsWith('path:')) {
    throw new Error(
      'ApiKeyService: a path workspace source is not part of the authorizer cache key; keep authorizerResultsCacheTtl at 0',
    );
  }
  // The same parsers the authorizer runs at its cold start: a map it would refuse fails here first.
  try {
    parseWorkspaceSource(props.workspaceSource);
    parseRouteMap(props.routePermissions ?? {});
  } catch (error) {
    throw new Error(`ApiKeyService: ${(error as Error).message.replace(/^configuration: /, '')}`);
  }
  const positive = (name: string, value: number | undefined, max: number) => {
    if (value !== undefined && (!Number.isInteger(value) || value < 1 || value > max)) {
      throw new Error(`ApiKeyService: ${name} must be an integer from 1 to ${max}`);
    }
  };
  positive('maxActiveKeysPerOwner', props.maxActiveKeysPerOwner, 1_000_000);
  positive('reminderIntervalDays', props.reminderIntervalDays, 365);
  positive('auditRetentionDays', props.auditRetentionDays, 3650);
  positive('failedAuthAlarmThreshold', props.failedAuthAlarmThreshold, 1_000_000);
  if (
    props.expiringSoonDays !== undefined &&
    (!Number.isInteger(props.expiringSoonDays) || props.expiringSoonDays < 0 || props.expiringSoonDays > 365)
  ) {
    throw new Error('ApiKeyService: expiringSoonDays must be an integer from 0 to 365');
  }
  if (props.alarmEmail !== undefined && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(props.alarmEmail)) {
    throw new Error('ApiKeyService: alarmEmail must be an e-mail address');
  }
}
