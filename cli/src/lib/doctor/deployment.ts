import {
  type CloudFormationClient,
  paginateDescribeStacks,
  paginateListStackResources,
  type Stack,
  type StackResourceSummary,
} from '@aws-sdk/client-cloudformation';
import { arnParts, awsProblem } from './aws.ts';
import { awsFailure, type Check, fail, pass } from './checks.ts';

/** An EventBridge rule: its name and its bus. */
export interface RuleRef {
  readonly name: string;
  readonly bus: string;
}

/** What doctor checks, as the stack that deployed the endpoint names it. */
export interface Deployment {
  readonly stackName: string;
  readonly account: string;
  readonly partition: string;
  readonly region: string;
  /** The management API, the endpoint's REST API. */
  readonly restApiId: string;
  /** The logical ID prefix of the construct's resources (`ApiKeys` for `new ApiKeyService(this, 'ApiKeys')`). */
  readonly prefix: string;
  readonly authorizer?: string;
  readonly pepper?: string;
  readonly topic?: string;
  readonly reminders?: RuleRef;
  readonly doctorRule?: RuleRef;
  /** Alarm names. */
  readonly alarms: readonly string[];
  /** Usage plan IDs. */
  readonly usagePlans: readonly string[];
}

type Found = { readonly deployment: Deployment; readonly check: Check } | { readonly check: Check };

const trim = (url: string) => url.replace(/\/+$/, '');
const HASH = '[0-9A-F]{8}';
/** The management API's logical ID: the construct's prefix, `ManagementApi`, CDK's hash. */
const MANAGEMENT_API = new RegExp(`^(.+)ManagementApi${HASH}$`);

/** `<api-id>.execute-api.<region>.amazonaws.com`: the REST API the endpoint is. */
const apiIdOf = (endpoint: string) => /^([a-z0-9]+)\.execute-api\./i.exec(new URL(endpoint).hostname)?.[1];

/** A rule's physical ID is `bus|name` on a bus other than the default one. */
function ruleRef(physicalId: string): RuleRef {
  const [bus, name] = physicalId.includes('|') ? physicalId.split('|') : ['default', physicalId];
  return { name: name ?? physicalId, bus: bus ?? 'default' };
}

async function stackNamed(cfn: CloudFormationClient, name: string): Promise<Stack | undefined> {
  for await (const page of paginateDescribeStacks({ client: cfn }, { StackName: name })) {
    const found = page.Stacks?.[0];
    if (found) return found;
  }
  return undefined;
}

/** The stacks whose outputs name the endpoint (CDK's RestApi puts its stage URL there). */
async function stacksWithOutput(cfn: CloudFormationClient, endpoint: string): Promise<Stack[]> {
  const found: Stack[] = [];
  for await (const page of paginateDescribeStacks({ client: cfn }, {})) {
    for (const stack of page.Stacks ?? []) {
      if ((stack.Outputs ?? []).some((o) => o.OutputValue && trim(o.OutputValue) === trim(endpoint)))
        found.push(stack);
    }
  }
  return found;
}

/**
 * The stack behind the endpoint and the construct's resources in it. The stack is `--stack`, or
 * the one whose outputs name the endpoint; inside it, the construct is the one whose management
 * API is the endpoint's REST API, and each resource is found by type and the construct's own
 * (stable) IDs, never by a name guessed from settings.
 */
export async function findDeployment(
  cfn: CloudFormationClient,
  endpoint: string,
  region: string,
  stackName?: string,
): Promise<Found> {
  const named = stackName ? `stack ${stackName}` : `the stack whose outputs name ${endpoint}`;
  let stack: Stack | undefined;
  let resources: StackResourceSummary[] = [];
  try {
    if (stackName) stack = await stackNamed(cfn, stackName);
    else {
      const stacks = await stacksWithOutput(cfn, endpoint);
      if (stacks.length > 1) {
        return {
          check: fail(
            'stack',
            `${stacks.length} stacks in ${region} name ${endpoint} among their outputs: ${stacks.map((s) => s.StackName).join(', ')}`,
            'pass --stack NAME: the stack that deployed this API',
          ),
        };
      }
      stack = stacks[0];
    }
    if (stack?.StackName) {
      for await (const page of paginateListStackResources({ client: cfn }, { StackName: stack.StackName }))
        resources.push(...(page.StackResourceSummaries ?? []));
    }
  } catch (error) {
    if (stackName && /does not exist/.test(awsProblem(error).text)) stack = undefined;
    else {
      return {
        check: awsFailure(
          'stack',
          `read ${named} in ${region}`,
          error,
          'your identity needs cloudformation:DescribeStacks and cloudformation:ListStackResources',
        ),
      };
    }
  }
  if (!stack?.StackName || !stack.StackId) {
    return {
      check: fail(
        'stack',
        stackName
          ? `no stack ${stackName} in ${region}`
          : `no stack in ${region} names ${endpoint} among its outputs`,
        stackName
          ? 'pass --stack with the name `npx cdk deploy` printed (the default app deploys Latchkey-<environmentName>), and --region if it is elsewhere'
          : 'pass --stack NAME (the stack that deployed this API, e.g. Latchkey-latchkey); --endpoint must be the stage URL of its ManagementApiEndpoint output',
      ),
    };
  }
  resources = resources.filter((r) => r.ResourceStatus !== 'DELETE_COMPLETE');
  const apiId = apiIdOf(endpoint);
  const apis = resources.filter(
    (r) =>
      r.ResourceType === 'AWS::ApiGateway::RestApi' &&
      MANAGEMENT_API.test(r.LogicalResourceId ?? '') &&
      (apiId === undefined || r.PhysicalResourceId === apiId),
  );
  const api = apis[0];
  if (!api || apis.length > 1) {
    return {
      check: fail(
        'stack',
        api
          ? `stack ${stack.StackName} has ${apis.length} Latchkey management APIs, and ${endpoint} names none of them`
          : `stack ${stack.StackName} has no Latchkey management API${apiId ? ` ${apiId}` : ''}`,
        "pass the stage URL of the stack's ManagementApiEndpoint output as --endpoint, or --stack with the stack that deployed it",
      ),
    };
  }
  const prefix = (MANAGEMENT_API.exec(api.LogicalResourceId ?? '') as RegExpExecArray)[1] as string;
  const own = (type: string, id: string) =>
    resources.find(
      (r) => r.ResourceType === type && new RegExp(`^${prefix}${id}${HASH}$`).test(r.LogicalResourceId ?? ''),
    )?.PhysicalResourceId;
  const all = (type: string, id = '') =>
    resources
      .filter((r) => r.ResourceType === type && (r.LogicalResourceId ?? '').startsWith(`${prefix}${id}`))
      .flatMap((r) => (r.PhysicalResourceId ? [r.PhysicalResourceId] : []));
  const { partition, account } = arnParts(stack.StackId);
  const reminders = own('AWS::Events::Rule', 'RotationReminders');
  const doctorRule = own('AWS::Events::Rule', 'DoctorChecks');
  const deployment: Deployment = {
    stackName: stack.StackName,
    account,
    partition,
    region,
    restApiId: api.PhysicalResourceId as string,
    prefix,
    authorizer: own('AWS::Lambda::Function', 'Authorizer'),
    pepper: own('AWS::SecretsManager::Secret', 'Pepper'),
    topic: own('AWS::SNS::Topic', 'Notifications'),
    reminders: reminders ? ruleRef(reminders) : undefined,
    doctorRule: doctorRule ? ruleRef(doctorRule) : undefined,
    alarms: all('AWS::CloudWatch::Alarm'),
    usagePlans: all('AWS::ApiGateway::UsagePlan', 'UsagePlan'),
  };
  const status = stack.StackStatus ?? 'UNKNOWN';
  const broken = /_IN_PROGRESS$|FAILED$|^ROLLBACK_COMPLETE$|^DELETE_/.test(status);
  const found = `stack ${stack.StackName} (${status}), construct ${prefix}: management API ${deployment.restApiId}, ${deployment.alarms.length} alarms, ${deployment.usagePlans.length} usage plan(s)`;
  if (broken) {
    return {
      deployment,
      check: fail(
        'stack',
        found,
        status.endsWith('_IN_PROGRESS')
          ? 'a deployment is under way: run latchkey doctor again when it is done'
          : `the stack is ${status}: read its events (aws cloudformation describe-stack-events --stack-name ${stack.StackName}), fix the cause, and deploy again`,
      ),
    };
  }
  return { deployment, check: pass('stack', found) };
}
