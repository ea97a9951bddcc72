import { App, Duration, Validations } from 'aws-cdk-lib';
import { Schedule } from 'aws-cdk-lib/aws-events';
import { AwsSolutionsChecks } from 'cdk-nag';
import { parsePolicy } from '../functions/domain/compliance/policy.ts';
import { ensureDashboardBuilt } from '../web/serve.ts';
import type { ApiKeyServiceProps } from './api-key-service.ts';
import { ConsumerStack } from './examples/consumer.ts';
import { LatchkeyStack } from './latchkey-stack.ts';

/**
 * `npx cdk synth` / `npx cdk deploy`. Settings come from context (cdk.json or `-c key=value`):
 *   environmentName, maxActiveKeysPerOwner, reminderIntervalDays, sweepScheduleHours,
 *   alarmEmail, authorizerCacheSeconds, routePermissions (JSON), workspaceSource, example,
 *   leakAction (revoke | disable), leakKeysUrl, policy (JSON), unusedDays,
 *   plans (JSON, the shape of LATCHKEY_PLANS), usagePlanMode (shared | perKey),
 *   waf (JSON, the construct's waf prop, e.g. '{"requestsPerIp":100}' or '{"enabled":false}'),
 *   portalDomainName and portalCertificateArn (an ACM certificate in us-east-1), portalEnabled (false
 *   leaves the portal out), portalAssets (a built web app; by default web/dist, built here first).
 * With no AWS credentials the stack is environment-agnostic (pseudo-parameters in every ARN).
 */
const app = new App();
const ctx = (key: string): string | undefined => {
  const value = app.node.tryGetContext(key);
  return value === undefined || value === '' ? undefined : String(value);
};
const int = (key: string) => (ctx(key) === undefined ? undefined : Number(ctx(key)));
/** JSON from `-c key='{…}'`, or an object in cdk.json's context. */
const json = (key: string): unknown => {
  const value = app.node.tryGetContext(key);
  if (value === undefined || value === '') return undefined;
  return typeof value === 'string' ? JSON.parse(value) : value;
};
// With credentials, the account and region they name; without, an environment-agnostic stack
// (AWS::AccountId, AWS::Region), so cdk.out deploys as it stands to whichever account runs it.
const env =
  process.env.CDK_DEFAULT_ACCOUNT && process.env.CDK_DEFAULT_REGION
    ? { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION }
    : undefined;
const environmentName = ctx('environmentName') ?? 'latchkey';
const portalEnabled = ctx('portalEnabled') !== 'false';
// The portal's assets are the built web app: built (if stale) before synth, so the upload is current.
if (portalEnabled && !ctx('portalAssets')) await ensureDashboardBuilt();

const latchkey = new LatchkeyStack(app, `Latchkey-${environmentName}`, {
  env,
  description: 'Latchkey: self-hosted API keys for API Gateway APIs.',
  service: {
    environmentName,
    maxActiveKeysPerOwner: int('maxActiveKeysPerOwner'),
    reminderIntervalDays: int('reminderIntervalDays'),
    sweepSchedule: int('sweepScheduleHours')
      ? Schedule.rate(Duration.hours(int('sweepScheduleHours') as number))
      : undefined,
    alarmEmail: ctx('alarmEmail'),
    authorizerResultsCacheTtl: int('authorizerCacheSeconds')
      ? Duration.seconds(int('authorizerCacheSeconds') as number)
      : undefined,
    routePermissions: ctx('routePermissions')
      ? (JSON.parse(ctx('routePermissions') as string) as Record<string, string>)
      : undefined,
    workspaceSource: ctx('workspaceSource') as `fixed:${string}` | undefined,
    leakReport:
      ctx('leakAction') || ctx('leakKeysUrl')
        ? { action: ctx('leakAction') as 'revoke' | 'disable' | undefined, keysUrl: ctx('leakKeysUrl') }
        : undefined,
    policy: ctx('policy') ? parsePolicy(ctx('policy'), 'policy') : undefined,
    unusedDays: int('unusedDays'),
    // Checked by the construct, which names every bad field.
    plans: json('plans') as ApiKeyServiceProps['plans'],
    usagePlanMode: ctx('usagePlanMode') as ApiKeyServiceProps['usagePlanMode'],
    waf: json('waf') as ApiKeyServiceProps['waf'],
    portal: { enabled: portalEnabled, domainName: ctx('portalDomainName'), assets: ctx('portalAssets') },
  },
  portalCertificateArn: ctx('portalCertificateArn'),
});
if (ctx('example') === 'true')
  new ConsumerStack(app, `Latchkey-${environmentName}-example`, { env, service: latchkey.service });
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
