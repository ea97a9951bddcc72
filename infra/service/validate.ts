import { checkPolicy, ownerLimitOf } from '../../functions/domain/compliance/policy.ts';
import { parseRouteMap } from '../../functions/domain/verify/route-policy.ts';
import { parseWorkspaceSource } from '../../functions/domain/verify/workspace-source.ts';
import { checkLeakReport } from './leak-report.ts';
import { LOG_RETENTIONS } from './management-api-defaults.ts';
import { portalProblems } from './portal-defaults.ts';
import type { ApiKeyServiceProps } from './props.ts';
import { revocationProblems } from './revocation.ts';
import { usagePlanProblems } from './usage-plans.ts';
import { wafProblems } from './waf.ts';

/**
 * Bad props fail at synth with one error that lists every problem, each saying what to change,
 * so a user fixes them in one pass.
 */
export function validate(props: ApiKeyServiceProps): void {
  const problems = checkProps(props);
  if (problems.length === 1) throw new Error(`ApiKeyService: ${problems[0]}`);
  if (problems.length > 1)
    throw new Error(
      `ApiKeyService: ${problems.length} bad props:\n${problems.map((p) => `- ${p}`).join('\n')}`,
    );
}

/** Every problem with the props, in the order of the props. */
export function checkProps(props: ApiKeyServiceProps): string[] {
  const problems: string[] = [];
  const ttl = props.authorizerResultsCacheTtl?.toSeconds() ?? 0;
  if (ttl < 0 || ttl > 3600) problems.push('authorizerResultsCacheTtl must be from 0 to 3600 seconds');
  if (ttl > 0 && props.workspaceSource?.startsWith('path:')) {
    problems.push(
      'a path workspace source is not part of the authorizer cache key; keep authorizerResultsCacheTtl at 0',
    );
  }
  problems.push(...revocationProblems(props, ttl));
  // The same parsers the authorizer runs at its cold start: a setting it would refuse fails here first.
  const parsed = (parse: () => unknown) => {
    try {
      parse();
    } catch (error) {
      problems.push((error as Error).message.replace(/^configuration: /, ''));
    }
  };
  parsed(() => parseWorkspaceSource(props.workspaceSource));
  parsed(() => parseRouteMap(props.routePermissions ?? {}));
  const integer = (name: string, value: number | undefined, min: number, max: number) => {
    if (value !== undefined && (!Number.isInteger(value) || value < min || value > max))
      problems.push(`${name} must be an integer from ${min} to ${max}`);
  };
  integer('maxActiveKeysPerOwner', props.maxActiveKeysPerOwner, 1, 1_000_000);
  integer('reminderIntervalDays', props.reminderIntervalDays, 1, 365);
  integer('auditRetentionDays', props.auditRetentionDays, 1, 3650);
  integer('failedAuthAlarmThreshold', props.failedAuthAlarmThreshold, 1, 1_000_000);
  integer('expiringSoonDays', props.expiringSoonDays, 0, 365);
  integer('unusualActivity.factor', props.unusualActivity?.factor, 1, 1000);
  integer('unusualActivity.minRequests', props.unusualActivity?.minRequests, 1, 1_000_000_000);
  integer('unusedDays', props.unusedDays, 1, 3650);
  // The schema LATCHKEY_POLICY is read with: every bad field named, as `policy.<field>`.
  parsed(() => checkPolicy(props.policy ?? {}, 'policy'));
  parsed(() =>
    ownerLimitOf(
      (props.policy ?? {}) as { maxKeysPerOwner?: number },
      props.maxActiveKeysPerOwner,
      'maxActiveKeysPerOwner',
    ),
  );
  integer('pepperRotationDays', props.pepperRotationDays, 1, 1000);
  integer('importRotationDays', props.importRotationDays, 0, 3650);
  if (props.alarmEmail !== undefined && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(props.alarmEmail))
    problems.push('alarmEmail must be an e-mail address');
  for (const name of ['logRetention', 'accessLogRetention'] as const) {
    const retention = props[name];
    if (retention !== undefined && !LOG_RETENTIONS.includes(retention))
      problems.push(`${name} must be one of CloudWatch Logs' retention periods (RetentionDays)`);
  }
  problems.push(...checkLeakReport(props.leakReport));
  problems.push(...wafProblems(props.waf, props.portal?.enabled !== false));
  problems.push(...usagePlanProblems(props));
  problems.push(...portalProblems(props.portal));
  return problems;
}
