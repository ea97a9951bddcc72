import { type CloudWatchClient, DescribeAlarmsCommand, type MetricAlarm } from '@aws-sdk/client-cloudwatch';
import { awsFailure, type Check, fail, pass, redeploy } from './checks.ts';
import type { Deployment } from './deployment.ts';

/** DescribeAlarms takes at most 100 names a call. */
const PAGE = 100;

/**
 * Every alarm the stack declares exists in CloudWatch, none is in ALARM, and each notifies the
 * topic (its actions on, the topic among them).
 */
export async function checkAlarms(cloudWatch: CloudWatchClient, deployment: Deployment): Promise<Check> {
  const names = deployment.alarms;
  if (names.length === 0)
    return fail(
      'alarms',
      `stack ${deployment.stackName} has no alarms of the construct ${deployment.prefix}`,
      redeploy(deployment),
    );
  const found: MetricAlarm[] = [];
  try {
    for (let i = 0; i < names.length; i += PAGE) {
      const page = await cloudWatch.send(
        new DescribeAlarmsCommand({ AlarmNames: names.slice(i, i + PAGE), MaxRecords: PAGE }),
      );
      found.push(...(page.MetricAlarms ?? []));
    }
  } catch (error) {
    return awsFailure('alarms', 'read the alarms', error, 'your identity needs cloudwatch:DescribeAlarms');
  }
  const byName = new Map(found.map((a) => [a.AlarmName, a]));
  const missing = names.filter((n) => !byName.has(n));
  const firing = found.filter((a) => a.StateValue === 'ALARM');
  const silent = deployment.topic
    ? found.filter((a) => !a.ActionsEnabled || !(a.AlarmActions ?? []).includes(deployment.topic as string))
    : [];
  const problems = [
    ...(missing.length ? [`missing: ${missing.join(', ')}`] : []),
    ...firing.map((a) => `in ALARM: ${a.AlarmName} (${a.StateReason ?? 'no reason given'})`),
    ...(silent.length ? [`not notifying the topic: ${silent.map((a) => a.AlarmName).join(', ')}`] : []),
  ];
  if (problems.length === 0) {
    const waiting = found.filter((a) => a.StateValue === 'INSUFFICIENT_DATA').length;
    return pass(
      'alarms',
      `${names.length} alarms exist and notify the topic, none in ALARM${waiting ? ` (${waiting} without data yet)` : ''}`,
    );
  }
  const fixes = [
    ...(firing.length
      ? [
          'an alarm in ALARM is a fault to look into: its description says what it watches, and the runbooks in docs/operating.md say what to do about each; it returns to OK by itself once its metric is back under the threshold',
        ]
      : []),
    ...(missing.length || silent.length
      ? [
          `alarms missing or with their actions off were changed outside CloudFormation: ${redeploy(deployment)}`,
        ]
      : []),
  ];
  return fail('alarms', problems.join('; '), fixes.join('; '));
}
