import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { CfnNamedQuery, CfnWorkGroup } from 'aws-cdk-lib/aws-athena';
import { CfnDatabase, CfnTable } from 'aws-cdk-lib/aws-glue';
import { type IGrantable, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { CfnDeliveryStream } from 'aws-cdk-lib/aws-kinesisfirehose';
import { LogGroup, LogStream, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, BucketEncryption, type CfnBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { VERIFICATION_LOG_COLUMNS } from '../../functions/domain/usage/verification-log.ts';

/** Where Firehose puts records (one partition per UTC day), the records it could not convert, and Athena's results. */
const CHECKS_PREFIX = 'checks/';
const ERRORS_PREFIX = 'errors/';
const ATHENA_RESULTS_PREFIX = 'athena-results/';

export interface VerificationLogProps {
  /** `<environmentName>`: names the Glue database, the Athena workgroup and the queries. */
  readonly name: string;
  /** Days a record is kept. */
  readonly retentionDays: number;
  /** How long the stream's delivery errors are kept in CloudWatch Logs. */
  readonly logRetention: RetentionDays;
}

/**
 * The verification log (`verificationLog: { s3: true }`): every check's record, sent by
 * usage-ingest to an Amazon Data Firehose stream that converts it to Parquet (record format
 * conversion, with the Glue table's schema) and writes it to S3 by UTC day; a Glue table over it
 * with partition projection (no crawler, no MSCK REPAIR), an Athena workgroup whose results are
 * encrypted and kept 30 days, and named queries for what an investigation asks first.
 */
export class VerificationLog extends Construct {
  readonly bucket: Bucket;
  readonly deliveryStream: CfnDeliveryStream;
  /** The stream's name: what usage-ingest is given (LATCHKEY_VERIFICATION_STREAM). */
  readonly deliveryStreamName: string;
  readonly database: CfnDatabase;
  readonly table: CfnTable;
  readonly workGroup: CfnWorkGroup;
  readonly queries: Readonly<Record<string, CfnNamedQuery>>;

  constructor(scope: Construct, id: string, props: VerificationLogProps) {
    super(scope, id);
    const { account } = Stack.of(this);
    const databaseName = `${props.name.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}_verification_log`;
    const tableName = 'checks';

    this.bucket = new Bucket(this, 'Bucket', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [
        { id: 'checks', prefix: CHECKS_PREFIX, expiration: Duration.days(props.retentionDays) },
        { id: 'errors', prefix: ERRORS_PREFIX, expiration: Duration.days(props.retentionDays) },
        { id: 'athena-results', prefix: ATHENA_RESULTS_PREFIX, expiration: Duration.days(30) },
        { id: 'incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
    });
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'Only the Firehose role writes this bucket and only Athena queries read it: each query is a CloudTrail event (StartQueryExecution) naming who ran it. Access logs would be a second log of the same reads.',
    });

    this.database = new CfnDatabase(this, 'Database', {
      catalogId: account,
      databaseInput: {
        name: databaseName,
        description: `Latchkey ${props.name}: every check's record (the verification log).`,
      },
    });
    const location = `s3://${this.bucket.bucketName}/${CHECKS_PREFIX}`;
    this.table = new CfnTable(this, 'Table', {
      catalogId: account,
      databaseName,
      tableInput: {
        name: tableName,
        description: 'One row per check. day: the UTC day Firehose delivered it; at: the check itself.',
        tableType: 'EXTERNAL_TABLE',
        partitionKeys: [{ name: 'day', type: 'string', comment: 'yyyy-MM-dd (UTC), as delivered' }],
        parameters: {
          classification: 'parquet',
          'projection.enabled': 'true',
          'projection.day.type': 'date',
          'projection.day.format': 'yyyy-MM-dd',
          'projection.day.range': `NOW-${props.retentionDays}DAYS,NOW`,
          'projection.day.interval': '1',
          'projection.day.interval.unit': 'DAYS',
          'storage.location.template': `${location}day=\${day}/`,
        },
        storageDescriptor: {
          location,
          columns: VERIFICATION_LOG_COLUMNS.map(({ name, type, comment }) => ({ name, type, comment })),
          inputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
          outputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
          serdeInfo: { serializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe' },
        },
      },
    });
    this.table.addDependency(this.database);

    this.deliveryStream = this.stream(databaseName, props.logRetention);
    this.deliveryStreamName = this.deliveryStream.ref;

    this.workGroup = new CfnWorkGroup(this, 'WorkGroup', {
      name: `${props.name}-verification-log`,
      description: 'Queries over the verification log; results encrypted, kept 30 days.',
      recursiveDeleteOption: true,
      workGroupConfiguration: {
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        resultConfiguration: {
          outputLocation: `s3://${this.bucket.bucketName}/${ATHENA_RESULTS_PREFIX}`,
          encryptionConfiguration: { encryptionOption: 'SSE_S3' },
        },
      },
    });
    this.queries = namedQueries(this, {
      database: databaseName,
      table: `"${databaseName}"."${tableName}"`,
      workGroup: this.workGroup,
      name: props.name,
    });
  }

  /** Lets `grantee` (usage-ingest) put record batches to the stream, and nothing else of it. */
  grantPutRecordBatch(grantee: IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['firehose:PutRecordBatch'], resources: [this.deliveryStream.attrArn] }),
    );
  }

  /**
   * The stream, with a role of its own that may do exactly what delivery needs (Firehose's
   * documented S3 destination and record format conversion permissions): write and read back
   * objects under its two prefixes, list the bucket, read the Glue table's schema, and write its
   * errors to its own log stream. CloudFormation's L1 resource, because the L2 destination grants
   * its role every read and write on the bucket (deletes included).
   */
  private stream(databaseName: string, logRetention: RetentionDays): CfnDeliveryStream {
    const { account, region, partition } = Stack.of(this);
    const role = new Role(this, 'StreamRole', {
      assumedBy: new ServicePrincipal('firehose.amazonaws.com', {
        conditions: { StringEquals: { 'sts:ExternalId': account } },
      }),
      description: 'Latchkey verification log: Firehose delivery to S3 as Parquet.',
    });
    const errors = new LogGroup(this, 'StreamErrors', { retention: logRetention });
    const errorStream = new LogStream(this, 'StreamErrorsDelivery', { logGroup: errors });
    const glue = (resource: string) => `arn:${partition}:glue:${region}:${account}:${resource}`;
    const statements = [
      new PolicyStatement({
        actions: ['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads'],
        resources: [this.bucket.bucketArn],
      }),
      new PolicyStatement({
        actions: ['s3:PutObject', 's3:GetObject', 's3:AbortMultipartUpload'],
        resources: [
          this.bucket.arnForObjects(`${CHECKS_PREFIX}*`),
          this.bucket.arnForObjects(`${ERRORS_PREFIX}*`),
        ],
      }),
      new PolicyStatement({
        actions: ['glue:GetTable', 'glue:GetTableVersion', 'glue:GetTableVersions'],
        resources: [
          glue('catalog'),
          glue(`database/${databaseName}`),
          glue(`table/${databaseName}/${this.table.ref}`),
        ],
      }),
      new PolicyStatement({
        actions: ['logs:PutLogEvents'],
        resources: [
          `arn:${partition}:logs:${region}:${account}:log-group:${errors.logGroupName}:log-stream:${errorStream.logStreamName}`,
        ],
      }),
    ];
    for (const statement of statements) role.addToPolicy(statement);
    const bucketId = Stack.of(this).getLogicalId(this.bucket.node.defaultChild as CfnBucket);
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/${CHECKS_PREFIX}*]`,
      reason:
        'Firehose names each object it writes (by day and time): it may write under its two prefixes and nowhere else.',
    });
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/${ERRORS_PREFIX}*]`,
      reason: `Records Firehose could not convert go under ${ERRORS_PREFIX}, by day: objects it names itself.`,
    });
    const stream = new CfnDeliveryStream(this, 'Stream', {
      deliveryStreamType: 'DirectPut',
      deliveryStreamEncryptionConfigurationInput: { keyType: 'AWS_OWNED_CMK' },
      extendedS3DestinationConfiguration: {
        bucketArn: this.bucket.bucketArn,
        roleArn: role.roleArn,
        prefix: `${CHECKS_PREFIX}day=!{timestamp:yyyy-MM-dd}/`,
        errorOutputPrefix: `${ERRORS_PREFIX}!{firehose:error-output-type}/day=!{timestamp:yyyy-MM-dd}/`,
        // Larger, fewer Parquet files: Athena reads fewer objects. Records reach S3 within 15 minutes.
        bufferingHints: { intervalInSeconds: 900, sizeInMBs: 128 },
        // Parquet compresses its own columns (Snappy); the object itself is not compressed again.
        compressionFormat: 'UNCOMPRESSED',
        cloudWatchLoggingOptions: {
          enabled: true,
          logGroupName: errors.logGroupName,
          logStreamName: errorStream.logStreamName,
        },
        dataFormatConversionConfiguration: {
          enabled: true,
          inputFormatConfiguration: { deserializer: { openXJsonSerDe: {} } },
          outputFormatConfiguration: { serializer: { parquetSerDe: { compression: 'SNAPPY' } } },
          schemaConfiguration: {
            catalogId: account,
            region,
            databaseName,
            tableName: this.table.ref,
            roleArn: role.roleArn,
            versionId: 'LATEST',
          },
        },
      },
    });
    // Firehose checks its role's access when the stream is made: the policy must be there first.
    stream.node.addDependency(role);
    return stream;
  }
}

/** The last 7 days' partitions: every query names its days, so Athena reads only those. */
const LAST_7_DAYS = "day >= date_format(current_date - interval '7' day, '%Y-%m-%d')";

function namedQueries(
  scope: Construct,
  target: { database: string; table: string; workGroup: CfnWorkGroup; name: string },
): Record<string, CfnNamedQuery> {
  const queries = {
    TopKeys: {
      description: 'The keys with the most checks in the last 7 days, and how many were refused.',
      sql: `SELECT key_id, count(*) AS checks, count_if(outcome <> 'ALLOWED') AS refused
FROM ${target.table}
WHERE ${LAST_7_DAYS} AND key_id IS NOT NULL
GROUP BY key_id ORDER BY checks DESC LIMIT 50`,
    },
    RefusalsByCode: {
      description: 'Refusals per day and code over the last 7 days.',
      sql: `SELECT day, outcome AS code, count(*) AS refusals
FROM ${target.table}
WHERE ${LAST_7_DAYS} AND outcome <> 'ALLOWED'
GROUP BY day, outcome ORDER BY day DESC, refusals DESC`,
    },
    RequestsByIp: {
      description:
        'Checks per source address over the last 7 days: refused, and how many keys each address named.',
      sql: `SELECT source_ip, count(*) AS checks, count_if(outcome <> 'ALLOWED') AS refused, count(DISTINCT key_id) AS keys
FROM ${target.table}
WHERE ${LAST_7_DAYS}
GROUP BY source_ip ORDER BY checks DESC LIMIT 100`,
    },
    KeyHistory: {
      description:
        "One key's checks over the last 30 days, newest first: run it with the key ID as its parameter.",
      sql: `SELECT at, outcome, method, path, source_ip, user_agent, latency_ms, region
FROM ${target.table}
WHERE day >= date_format(current_date - interval '30' day, '%Y-%m-%d') AND key_id = ?
ORDER BY at DESC LIMIT 1000`,
    },
  };
  return Object.fromEntries(
    Object.entries(queries).map(([id, query]) => {
      const named = new CfnNamedQuery(scope, id, {
        name: `${target.name}: ${id.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()}`,
        description: query.description,
        database: target.database,
        workGroup: target.workGroup.ref,
        queryString: query.sql,
      });
      named.addDependency(target.workGroup);
      return [id, named];
    }),
  );
}
