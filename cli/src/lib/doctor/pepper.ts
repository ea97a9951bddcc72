import { type IAMClient, SimulatePrincipalPolicyCommand } from '@aws-sdk/client-iam';
import { type AuthorizerConfig, configFailure } from './authorizer.ts';
import { awsFailure, type Check, fail, pass, redeploy } from './checks.ts';
import type { Deployment } from './deployment.ts';

/**
 * The authorizer reads the stack's pepper (its LATCHKEY_PEPPER_SECRET_ARN), and IAM's policy
 * simulator says its role may call secretsmanager:GetSecretValue on it. The simulation covers the
 * role's own policies and its permissions boundary; the authorizer check proves the read for real.
 */
export async function checkPepper(
  iam: IAMClient,
  deployment: Deployment,
  authorizer: AuthorizerConfig,
): Promise<Check> {
  if (!deployment.pepper)
    return fail(
      'pepper',
      `stack ${deployment.stackName} has no pepper secret (${deployment.prefix}Pepper)`,
      redeploy(deployment),
    );
  if ('error' in authorizer) return configFailure('pepper', authorizer);
  const { Role: role, FunctionName: fn, Environment } = authorizer.config;
  const reads = Environment?.Variables?.LATCHKEY_PEPPER_SECRET_ARN;
  if (reads !== deployment.pepper)
    return fail(
      'pepper',
      `${fn} reads the pepper ${reads ?? '(none: LATCHKEY_PEPPER_SECRET_ARN is not set)'}, the stack's is ${deployment.pepper}`,
      `${redeploy(deployment)}: the authorizer must hash with the pepper the management API writes with`,
    );
  if (!role) return fail('pepper', `${fn} has no role`, redeploy(deployment));
  try {
    const { EvaluationResults: [result] = [] } = await iam.send(
      new SimulatePrincipalPolicyCommand({
        PolicySourceArn: role,
        ActionNames: ['secretsmanager:GetSecretValue'],
        ResourceArns: [deployment.pepper],
      }),
    );
    const decision = result?.EvalDecision ?? 'no answer';
    if (decision === 'allowed')
      return pass(
        'pepper',
        `IAM's policy simulator allows ${role} secretsmanager:GetSecretValue on ${deployment.pepper}`,
      );
    return fail(
      'pepper',
      `IAM's policy simulator answers ${decision} for ${role} secretsmanager:GetSecretValue on ${deployment.pepper}`,
      decision === 'explicitDeny'
        ? 'a policy denies it explicitly (a permissions boundary, or a service control policy of your organization): the authorizer fails closed on every request until it may read the pepper'
        : `the role lacks the grant the construct gives it (pepper.grantRead): ${redeploy(deployment)}`,
    );
  } catch (error) {
    // IAM is global: no region to check.
    return awsFailure(
      'pepper',
      `simulate ${role}'s policies`,
      error,
      `your identity needs iam:SimulatePrincipalPolicy on ${role}`,
      'check your network',
    );
  }
}
