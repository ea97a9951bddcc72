import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { TABLES } from '../../functions/store/tables.ts';
import { FUNCTION_ACCESS } from '../../infra/api-key-service.ts';
import { type Resources, synthStack } from '../support/stack.ts';

/** The alarms the security review found missing: API faults, leak reports, pepper rotation, throttled tables. */

interface Watched {
  readonly namespace: string;
  readonly name: string;
  readonly dimensions: Record<string, unknown>;
}

let template: Template;
beforeAll(() => {
  ({ template } = synthStack({ alarmEmail: 'ops@example.com' }));
});

const alarms = () => Object.values(template.findResources('AWS::CloudWatch::Alarm') as Resources);
const alarmNamed = (name: string) => {
  const found = alarms().find((a) => a.Properties.AlarmName === `latchkey-${name}`);
  expect(found, name).toBeDefined();
  return found as Resources[string];
};

/** What an alarm watches: its one metric, or every metric of its math expression. */
function watched(alarm: Resources[string]): Watched[] {
  const p = alarm.Properties;
  const dims = (list: { Name: string; Value: unknown }[] = []) =>
    Object.fromEntries(list.map((d) => [d.Name, d.Value]));
  if (p.MetricName) return [{ namespace: p.Namespace, name: p.MetricName, dimensions: dims(p.Dimensions) }];
  return (p.Metrics as { MetricStat?: { Metric: Record<string, never> } }[])
    .filter((m) => m.MetricStat)
    .map(({ MetricStat }) => {
      const metric = MetricStat?.Metric as unknown as {
        Namespace: string;
        MetricName: string;
        Dimensions: { Name: string; Value: unknown }[];
      };
      return { namespace: metric.Namespace, name: metric.MetricName, dimensions: dims(metric.Dimensions) };
    });
}

/** The logical ID of the Lambda function of `handler` (its construct ID, e.g. `LeaksGithub`). */
function functionId(construct: string) {
  const id = Object.keys(template.findResources('AWS::Lambda::Function')).find((k) =>
    new RegExp(`^ApiKeys${construct}[0-9A-F]{8}$`).test(k),
  );
  expect(id, construct).toBeDefined();
  return id as string;
}

const topic = () => ({ Ref: Object.keys(template.findResources('AWS::SNS::Topic'))[0] });

describe('alarms the review found missing', () => {
  it('fires on any portal API 5XX: a portal user could not manage their keys', () => {
    const alarm = alarmNamed('PortalApi5XX');
    expect(watched(alarm)).toEqual([
      { namespace: 'AWS/ApiGateway', name: '5XXError', dimensions: { ApiName: 'latchkey-portal' } },
    ]);
    expect(alarm.Properties).toMatchObject({
      Statistic: 'Sum',
      Threshold: 1,
      TreatMissingData: 'notBreaching',
    });
  });

  it('fires on any management API 5XX', () => {
    const alarm = alarmNamed('ManagementApi5XX');
    expect(watched(alarm)).toEqual([
      { namespace: 'AWS/ApiGateway', name: '5XXError', dimensions: { ApiName: 'latchkey-management' } },
    ]);
    expect(alarm.Properties).toMatchObject({
      Statistic: 'Sum',
      Threshold: 1,
      TreatMissingData: 'notBreaching',
    });
  });

  it('fires when a leak function fails or the leak signing keys cannot be fetched (no longer only a log line)', () => {
    const alarm = alarmNamed('LeakReportFailed');
    const metrics = watched(alarm);
    expect(metrics).toContainEqual({
      namespace: 'Latchkey',
      name: 'LeakKeysFetchFailed',
      dimensions: { service: 'latchkey' },
    });
    for (const fn of ['LeaksGithub', 'LeaksReport'])
      expect(metrics).toContainEqual({
        namespace: 'AWS/Lambda',
        name: 'Errors',
        dimensions: { FunctionName: { Ref: functionId(fn) } },
      });
    expect(alarm.Properties.Threshold).toBe(1);
  });

  it('fires when the pepper rotation function fails', () => {
    const alarm = alarmNamed('PepperRotationFailed');
    expect(watched(alarm)).toEqual([
      {
        namespace: 'AWS/Lambda',
        name: 'Errors',
        dimensions: { FunctionName: { Ref: functionId('PepperRotation') } },
      },
    ]);
  });

  it('fires when any table is throttled, on every operation the functions make on it', () => {
    const tables = template.findResources('AWS::DynamoDB::GlobalTable') as Resources;
    const deployed = Object.values(TABLES).filter((t) => !t.localOnly);
    expect(Object.keys(tables)).toHaveLength(deployed.length);
    for (const def of deployed) {
      const tableId = Object.keys(tables).find((id) =>
        id.startsWith(`ApiKeys${def.id[0]?.toUpperCase()}${def.id.slice(1)}Table`),
      ) as string;
      const alarm = alarms().find((a) =>
        watched(a).some(
          (m) =>
            m.name === 'ThrottledRequests' &&
            JSON.stringify(m.dimensions.TableName) === JSON.stringify({ Ref: tableId }),
        ),
      );
      expect(alarm, def.id).toBeDefined();
      const metrics = watched(alarm as Resources[string]);
      // One alarm per table, on this table alone.
      expect(metrics.every((m) => m.name === 'ThrottledRequests' && m.namespace === 'AWS/DynamoDB')).toBe(
        true,
      );
      expect(new Set(metrics.map((m) => JSON.stringify(m.dimensions.TableName)))).toEqual(
        new Set([JSON.stringify({ Ref: tableId })]),
      );
      const operations = metrics.map((m) => m.dimensions.Operation);
      const granted = new Set(
        Object.values(FUNCTION_ACCESS).flatMap((access) =>
          (access.tables[def.id] ?? []).map((action) => action.replace('dynamodb:', '')),
        ),
      );
      expect(granted.size, def.id).toBeGreaterThan(0);
      for (const operation of granted) expect(operations, `${def.id} ${operation}`).toContain(operation);
      // CloudWatch alarms on at most 10 metrics.
      expect(metrics.length).toBeLessThanOrEqual(10);
      expect(alarm?.Properties.AlarmName).toMatch(/^latchkey-\w+TableThrottled$/);
    }
  });

  it('count a missing data point as 0 in every sum, so one metric’s count is not lost for want of another’s', () => {
    const sums = alarms().filter((a) => a.Properties.Metrics);
    expect(sums.length).toBeGreaterThan(0);
    for (const alarm of sums) {
      const metrics = alarm.Properties.Metrics as { Id: string; Expression?: string; MetricStat?: unknown }[];
      const expression = metrics.find((m) => m.Expression)?.Expression ?? '';
      for (const { Id } of metrics.filter((m) => m.MetricStat))
        expect(expression, alarm.Properties.AlarmName).toContain(`FILL(${Id}, 0)`);
    }
  });

  it('all notify the topic, whose key lets CloudWatch publish for each', () => {
    const key = JSON.stringify(template.findResources('AWS::KMS::Key'));
    for (const name of [
      'ManagementApi5XX',
      'PortalApi5XX',
      'LeakReportFailed',
      'PepperRotationFailed',
      'KeysTableThrottled',
    ]) {
      expect(alarmNamed(name).Properties.AlarmActions).toEqual([topic()]);
      expect(key).toContain(`alarm:latchkey-${name}`);
    }
  });
});
