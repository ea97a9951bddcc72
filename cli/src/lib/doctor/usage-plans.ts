import { type APIGatewayClient, GetUsageCommand, GetUsagePlanCommand } from '@aws-sdk/client-api-gateway';
import { awsProblem } from './aws.ts';
import { type Check, fail, pass, redeploy } from './checks.ts';
import type { Deployment } from './deployment.ts';

/**
 * Each usage plan of the stack answers GetUsagePlan, is on at least one API stage (a plan on none
 * meters nothing), and, where it has a quota (what the sweep and `keys quota` read), answers
 * GetUsage for today. No plans is a pass: plans are optional.
 */
export async function checkUsagePlans(
  apiGateway: APIGatewayClient,
  deployment: Deployment,
  now: number,
): Promise<Check> {
  if (deployment.usagePlans.length === 0)
    return pass('usage-plans', 'not configured (the construct has no plans)');
  const today = new Date(now).toISOString().slice(0, 10);
  const seen: string[] = [];
  const idle: string[] = [];
  for (const id of deployment.usagePlans) {
    try {
      const plan = await apiGateway.send(new GetUsagePlanCommand({ usagePlanId: id }));
      const name = plan.name ?? id;
      if ((plan.apiStages ?? []).length === 0) idle.push(name);
      if (plan.quota) {
        const usage = await apiGateway.send(
          new GetUsageCommand({ usagePlanId: id, startDate: today, endDate: today }),
        );
        const keys = Object.keys(usage.items ?? {}).length;
        seen.push(
          `${name} (${plan.apiStages?.length ?? 0} stage(s), quota ${plan.quota.limit}/${plan.quota.period}, GetUsage answered for ${keys} key(s) today)`,
        );
      } else seen.push(`${name} (${plan.apiStages?.length ?? 0} stage(s), no quota)`);
    } catch (error) {
      const problem = awsProblem(error);
      return fail(
        'usage-plans',
        `usage plan ${id} did not answer: ${problem.text}`,
        problem.denied
          ? `your identity needs apigateway:GET on arn:${deployment.partition}:apigateway:${deployment.region}::/usageplans/${id} and its /usage`
          : problem.text.includes('NotFound')
            ? `the plan was deleted outside CloudFormation: ${redeploy(deployment)}`
            : 'check your network and --region',
        problem.unreachable,
      );
    }
  }
  if (idle.length)
    return fail(
      'usage-plans',
      `on no API stage, so metering nothing: ${idle.join(', ')}`,
      "name the protected REST API stages: the construct's usagePlanStages prop, or service.addUsagePlanStage(api, stage), then deploy",
    );
  return pass('usage-plans', seen.join('; '));
}
