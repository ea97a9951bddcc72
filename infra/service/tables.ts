import { AttributeType, ProjectionType, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import { TABLES, type TableDef, type TableId } from '../../functions/store/tables.ts';
import { TABLE_DEFAULTS } from './table-defaults.ts';

/** The tables that exist in AWS (the local-only event table lives in EventBridge there). */
export type DeployedTableId = Exclude<TableId, 'events'>;
export type ServiceTables = Readonly<Record<DeployedTableId, TableV2>>;

/** One DynamoDB table per deployed table definition, keyed exactly as the local server keys it. */
export function createTables(scope: Construct): ServiceTables {
  const tables = {} as Record<DeployedTableId, TableV2>;
  for (const def of Object.values(TABLES)) {
    if (def.localOnly) continue;
    tables[def.id as DeployedTableId] = new TableV2(scope, `${capitalise(def.id)}Table`, tableProps(def));
  }
  return tables;
}

function tableProps(def: TableDef) {
  const string = (name: string) => ({ name, type: AttributeType.STRING });
  return {
    partitionKey: string(def.partitionKey),
    sortKey: def.sortKey ? string(def.sortKey) : undefined,
    timeToLiveAttribute: def.ttlAttribute,
    globalSecondaryIndexes: def.indexes.map((index) => ({
      indexName: index.name,
      partitionKey: string(index.partitionKey),
      sortKey: index.sortKey ? string(index.sortKey) : undefined,
      ...(index.include
        ? { projectionType: ProjectionType.INCLUDE, nonKeyAttributes: [...index.include] }
        : {}),
    })),
    ...TABLE_DEFAULTS,
  };
}

const capitalise = (id: string) => `${id[0]?.toUpperCase()}${id.slice(1)}`;
