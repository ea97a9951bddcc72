import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { VERIFICATION_LOG_COLUMNS } from '../../functions/domain/usage/verification-log.ts';
import type { ApiKeyServiceProps } from '../../infra/service/props.ts';
import { functionOf, type Resource, type Resources, synthStack } from '../support/stack.ts';

/** `verificationLog: { s3: true }` in the template: Firehose to Parquet in S3, the Glue table, the Athena queries. */
const synth = (service: ApiKeyServiceProps = {}) => synthStack(service).template;

const only = (t: Template, type: string) => {
  const found = Object.entries(t.findResources(type) as Resources);
  expect(found, type).toHaveLength(1);
  return found[0] as [string, Resource];
};
/** The bucket the stream delivers to (the portal has buckets of its own). */
const logBucket = (t: Template): [string, Resource] => {
  const [, stream] = only(t, 'AWS::KinesisFirehose::DeliveryStream');
  const id = stream.Properties.ExtendedS3DestinationConfiguration.BucketARN['Fn::GetAtt'][0] as string;
  return [id, (t.findResources('AWS::S3::Bucket') as Resources)[id] as Resource];
};
const bucketCount = (t: Template) => Object.keys(t.findResources('AWS::S3::Bucket')).length;

let on: Template;
beforeAll(() => {
  on = synth({ verificationLog: { s3: true } });
}, 120_000);

describe('the verification log', () => {
  it('is off by default: no stream, bucket, table or queries; usage-ingest gets only the lines that count', () => {
    const off = synth();
    for (const type of [
      'AWS::KinesisFirehose::DeliveryStream',
      'AWS::Glue::Table',
      'AWS::Athena::NamedQuery',
    ])
      expect(Object.keys(off.findResources(type)), type).toEqual([]);
    expect(bucketCount(off)).toBe(bucketCount(on) - 1);
    off.hasResourceProperties('AWS::Logs::SubscriptionFilter', { FilterPattern: '{ $.usage = "*" }' });
  }, 120_000);

  it('sends every check line to usage-ingest, which may put records to the stream, and only that', () => {
    const [streamId] = only(on, 'AWS::KinesisFirehose::DeliveryStream');
    const filters = Object.values(on.findResources('AWS::Logs::SubscriptionFilter') as Resources).map(
      (f) => f.Properties.FilterPattern,
    );
    // The authorizer's every check (a refusal that named no key too); verify's counted ones, and a
    // public report's canary trips (the credentials check's).
    expect(filters.sort()).toEqual(['{ $.code = "*" }', '{ $.usage = "*" }', '{ $.usage = "*" }']);
    expect(
      functionOf(on, 'usage-ingest')?.Properties.Environment.Variables.LATCHKEY_VERIFICATION_STREAM,
    ).toEqual({
      Ref: streamId,
    });
    const firehoseStatements = Object.values(on.findResources('AWS::IAM::Policy') as Resources)
      .flatMap((p) => p.Properties.PolicyDocument.Statement)
      .filter((s) => JSON.stringify(s.Action).includes('firehose:'));
    expect(firehoseStatements).toEqual([
      expect.objectContaining({
        Effect: 'Allow',
        Action: 'firehose:PutRecordBatch',
        Resource: { 'Fn::GetAtt': [streamId, 'Arn'] },
      }),
    ]);
  });

  it('is a Firehose stream, encrypted, converting JSON to Parquet with the Glue table, by UTC day', () => {
    const [tableId] = only(on, 'AWS::Glue::Table');
    const [, stream] = only(on, 'AWS::KinesisFirehose::DeliveryStream');
    expect(stream.Properties.DeliveryStreamEncryptionConfigurationInput).toEqual({
      KeyType: 'AWS_OWNED_CMK',
    });
    const s3 = stream.Properties.ExtendedS3DestinationConfiguration;
    expect(s3.Prefix).toBe('checks/day=!{timestamp:yyyy-MM-dd}/');
    expect(s3.ErrorOutputPrefix).toBe('errors/!{firehose:error-output-type}/day=!{timestamp:yyyy-MM-dd}/');
    expect(s3.BufferingHints).toEqual({ IntervalInSeconds: 900, SizeInMBs: 128 });
    expect(s3.DataFormatConversionConfiguration).toMatchObject({
      Enabled: true,
      InputFormatConfiguration: { Deserializer: { OpenXJsonSerDe: expect.anything() } },
      OutputFormatConfiguration: { Serializer: { ParquetSerDe: expect.anything() } },
      SchemaConfiguration: { TableName: { Ref: tableId } },
    });
  });

  it('is a bucket that is encrypted, private, SSL-only, and forgets records after the retention', () => {
    const [bucketId, bucket] = logBucket(on);
    expect(bucket.Properties.BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
    });
    expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(bucket.Properties.LifecycleConfiguration.Rules).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Prefix: 'checks/', ExpirationInDays: 365, Status: 'Enabled' }),
        expect.objectContaining({ Prefix: 'athena-results/', ExpirationInDays: 30 }),
        expect.objectContaining({ AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } }),
      ]),
    );
    on.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: bucketId },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 's3:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
    const shorter = synth({ verificationLog: { s3: true, retentionDays: 90 } });
    const [, kept] = logBucket(shorter);
    expect(kept.Properties.LifecycleConfiguration.Rules).toEqual(
      expect.arrayContaining([expect.objectContaining({ Prefix: 'checks/', ExpirationInDays: 90 })]),
    );
  }, 120_000);

  it('has a Glue table of every record column, partitioned by day with projection, over Parquet', () => {
    const [, database] = only(on, 'AWS::Glue::Database');
    expect(database.Properties.DatabaseInput.Name).toBe('latchkey_verification_log');
    const [, table] = only(on, 'AWS::Glue::Table');
    const input = table.Properties.TableInput;
    expect(table.Properties.DatabaseName).toBe('latchkey_verification_log');
    expect(input.Name).toBe('checks');
    expect(input.StorageDescriptor.Columns).toEqual(
      VERIFICATION_LOG_COLUMNS.map(({ name, type, comment }) => ({
        Name: name,
        Type: type,
        Comment: comment,
      })),
    );
    expect(input.PartitionKeys).toEqual([expect.objectContaining({ Name: 'day', Type: 'string' })]);
    expect(input.StorageDescriptor.SerdeInfo.SerializationLibrary).toBe(
      'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe',
    );
    expect(input.Parameters).toMatchObject({
      classification: 'parquet',
      'projection.enabled': 'true',
      'projection.day.type': 'date',
      'projection.day.format': 'yyyy-MM-dd',
      'projection.day.range': 'NOW-365DAYS,NOW',
    });
  });

  it('has Athena named queries (top keys, refusals by code, requests by IP, one key history) in an encrypted workgroup', () => {
    const [workGroupId, workGroup] = only(on, 'AWS::Athena::WorkGroup');
    expect(workGroup.Properties.WorkGroupConfiguration).toMatchObject({
      EnforceWorkGroupConfiguration: true,
      ResultConfiguration: { EncryptionConfiguration: { EncryptionOption: 'SSE_S3' } },
    });
    const queries = Object.values(on.findResources('AWS::Athena::NamedQuery') as Resources).map(
      (q) => q.Properties,
    );
    expect(queries.map((q) => q.Name).sort()).toEqual([
      'latchkey: key history',
      'latchkey: refusals by code',
      'latchkey: requests by ip',
      'latchkey: top keys',
    ]);
    for (const q of queries) {
      expect(q.Database).toBe('latchkey_verification_log');
      expect(q.WorkGroup).toEqual({ Ref: workGroupId });
      expect(q.QueryString).toContain('"latchkey_verification_log"."checks"');
      // Every query names its days: Athena reads only those partitions.
      expect(q.QueryString).toMatch(/WHERE day >= /);
    }
    const sql = (name: string) => queries.find((q) => q.Name === name)?.QueryString as string;
    expect(sql('latchkey: top keys')).toMatch(/GROUP BY key_id ORDER BY checks DESC/);
    expect(sql('latchkey: refusals by code')).toMatch(/outcome <> 'ALLOWED'[\s\S]*GROUP BY day, outcome/);
    expect(sql('latchkey: requests by ip')).toMatch(/GROUP BY source_ip/);
    expect(sql('latchkey: key history')).toMatch(/key_id = \?[\s\S]*ORDER BY at DESC/);
  });

  it('refuses a retention out of range at synth', () => {
    expect(() => synth({ verificationLog: { s3: true, retentionDays: 0 } })).toThrow(
      /verificationLog.retentionDays must be an integer from 1 to 3650/,
    );
  });
});
