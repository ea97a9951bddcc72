import { RemovalPolicy } from 'aws-cdk-lib';
import { Billing, TableEncryptionV2, type TablePropsV2 } from 'aws-cdk-lib/aws-dynamodb';

/**
 * What every Latchkey table gets: on-demand billing, point-in-time recovery, deletion
 * protection, encryption at rest, and RETAIN, so no stack operation can drop stored keys.
 */
export const TABLE_DEFAULTS = {
  billing: Billing.onDemand(),
  pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
  deletionProtection: true,
  encryption: TableEncryptionV2.awsManagedKey(),
  removalPolicy: RemovalPolicy.RETAIN,
} as const satisfies Partial<TablePropsV2>;
