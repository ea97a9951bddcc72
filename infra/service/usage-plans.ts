import { Aspects, Stack, Token, Validations } from 'aws-cdk-lib';
import {
  ApiKey,
  CfnMethod,
  CfnRestApi,
  type IAuthorizer,
  type IRestApi,
  Period,
  type Stage,
  UsagePlan,
} from 'aws-cdk-lib/aws-apigateway';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct, IConstruct } from 'constructs';
import type { UsagePlanSettings } from '../../functions/config/usage-plans.ts';
import { type Plan, planProblems } from '../../functions/domain/plans/plans.ts';
import { INDEX } from '../../functions/store/tables.ts';
import type { LatchkeyFunction } from '../latchkey-function.ts';
import { addSetting } from '../latchkey-function.ts';
import { SWEEP_HANDLERS } from './function-access.ts';
import type { ApiKeyServiceProps } from './props.ts';

const PERIODS = { DAY: Period.DAY, WEEK: Period.WEEK, MONTH: Period.MONTH } as const;
const pascal = (name: string) =>
  name
    .split(/[-_]/)
    .map((p) => `${p[0]?.toUpperCase()}${p.slice(1)}`)
    .join('');

/** Every problem with the usage plan props (reported with the others by validate()). */
export function usagePlanProblems(props: ApiKeyServiceProps): string[] {
  const problems = planProblems(props.plans ?? {}).map((p) => `plans.${p}`);
  if (
    props.usagePlanMode !== undefined &&
    props.usagePlanMode !== 'shared' &&
    props.usagePlanMode !== 'perKey'
  )
    problems.push('usagePlanMode must be "shared" or "perKey"');
  if (props.usagePlanStages?.length && !Object.keys(props.plans ?? {}).length)
    problems.push('usagePlanStages needs at least one plan in plans');
  return problems;
}

/**
 * The handlers that call API Gateway, and what they call (usage plan mode `perKey`): the key's
 * lifecycle makes and deletes API keys and attaches them to usage plans; the sweep also lists
 * them (orphans); GetUsage answers GET /v1/keys/{keyId}/quota in both modes. `read`: the key
 * service reads a key back after a change to bring its API key in line.
 */
const LIFECYCLE = ['create', 'attach', 'delete'] as const;
export const USAGE_PLAN_ACCESS: Readonly<
  Record<string, readonly ('read' | 'create' | 'attach' | 'delete' | 'list')[]>
> = {
  'keys-create': LIFECYCLE,
  'keys-update': LIFECYCLE,
  'keys-revoke': LIFECYCLE,
  'keys-rotate': LIFECYCLE,
  'keys-delete': ['delete'],
  // The kill switch changes each key as a single revoke or disable does, its API key included.
  'keys-bulk': LIFECYCLE,
  // The portal changes keys through the same key service; a key an operator put on a plan keeps it.
  // A key made in the portal carries no plan (the portal refuses one): it is only read back.
  'portal-keys-create': ['read'],
  'portal-keys-update': LIFECYCLE,
  'portal-keys-revoke': LIFECYCLE,
  'portal-keys-rotate': LIFECYCLE,
  'portal-keys-delete': ['delete'],
  // A leak report revokes (or disables) through the keys service, which deletes the API key;
  // so does a public report's check.
  'leaks-github': LIFECYCLE,
  'leaks-report': LIFECYCLE,
  'credentials-check': LIFECYCLE,
  ...Object.fromEntries(SWEEP_HANDLERS.map((handler) => [handler, [...LIFECYCLE, 'list']])),
};

/**
 * One API Gateway usage plan per plan, attached to the protected REST API stages. In `shared`
 * mode each plan also gets one API key, whose value is generated into Secrets Manager (the
 * authorizer reads it from there: it is never in an environment variable or the template).
 * Every function learns the plans (`LATCHKEY_PLANS`) and how they are deployed
 * (`LATCHKEY_USAGE_PLANS`), and the functions that call API Gateway get exactly those calls.
 */
export class UsagePlans {
  readonly plans: Readonly<Record<string, UsagePlan>> = {};
  readonly sharedKeys: Readonly<Record<string, { readonly key: ApiKey; readonly value: Secret }>> = {};
  readonly mode: 'shared' | 'perKey';

  constructor(
    private readonly scope: Construct,
    props: ApiKeyServiceProps,
    functions: Readonly<Record<string, LatchkeyFunction>>,
    private readonly keysTableArn: string,
  ) {
    const name = props.environmentName ?? 'latchkey';
    this.mode = props.usagePlanMode ?? 'shared';
    const definitions = (props.plans ?? {}) as Readonly<Record<string, Plan>>;
    const plans: Record<string, UsagePlan> = {};
    const shared: Record<string, { key: ApiKey; value: Secret }> = {};
    for (const [plan, definition] of Object.entries(definitions)) {
      const usagePlan = new UsagePlan(scope, `UsagePlan${pascal(plan)}`, {
        name: `${name}-${plan}`,
        description: `Latchkey plan "${plan}"`,
        throttle: { rateLimit: definition.rateLimit, burstLimit: definition.burstLimit },
        ...(definition.quota
          ? { quota: { limit: definition.quota.limit, period: PERIODS[definition.quota.period] } }
          : {}),
        apiStages: (props.usagePlanStages ?? []).map(({ api, stage }) => ({ api, stage })),
      });
      plans[plan] = usagePlan;
      if (this.mode === 'shared') {
        const value = new Secret(scope, `UsagePlanKeyValue${pascal(plan)}`, {
          description: `${name}: the value of plan "${plan}"'s shared API Gateway key (usageIdentifierKey)`,
          generateSecretString: { passwordLength: 40, excludePunctuation: true },
        });
        Validations.of(value).acknowledge({
          id: 'AwsSolutions-SMG4',
          reason:
            'An API Gateway API key value identifies a usage plan bucket, not a caller: it is never a credential (the Latchkey key is), and rotating it would need the API key replaced in step.',
        });
        const key = new ApiKey(scope, `UsagePlanKey${pascal(plan)}`, {
          apiKeyName: `${name}-${plan}-shared`,
          description: `Latchkey: every key on plan "${plan}" (usage plan mode shared)`,
          value: value.secretValue.unsafeUnwrap(),
          enabled: true,
        });
        usagePlan.addApiKey(key);
        shared[plan] = { key, value };
      }
    }
    this.plans = plans;
    this.sharedKeys = shared;
    if (!Object.keys(plans).length) return;

    const settings: UsagePlanSettings = {
      mode: this.mode,
      keyPrefix: `${name}-${Stack.of(scope).stackName}-`.slice(0, 100),
      plans: Object.fromEntries(
        Object.entries(plans).map(([plan, usagePlan]) => [
          plan,
          {
            usagePlanId: usagePlan.usagePlanId,
            ...(shared[plan]
              ? { apiKeyId: shared[plan].key.keyId, valueSecretArn: shared[plan].value.secretArn }
              : {}),
          },
        ]),
      ),
    };
    const planJson = JSON.stringify(definitions);
    const settingsJson = Stack.of(scope).toJsonString(settings);
    // The authorizer learns only the mode and where each shared value is: naming the usage plans
    // would make it depend on the protected stages, which depend on it (a cycle).
    const forAuthorizer = Stack.of(scope).toJsonString({
      mode: settings.mode,
      plans: Object.fromEntries(
        Object.entries(settings.plans).map(([plan, p]) => [
          plan,
          p.valueSecretArn ? { valueSecretArn: p.valueSecretArn } : {},
        ]),
      ),
    });
    if (this.mode === 'perKey') {
      const region = Stack.of(scope).region;
      Validations.of(scope).acknowledge({
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:apigateway:${Token.isUnresolved(region) ? '<AWS::Region>' : region}::/apikeys/*]`,
        reason:
          'perKey: API Gateway API key IDs are made at run time, one per Latchkey key, so deleting them cannot name them in advance; only the key lifecycle functions and the sweep hold it.',
      });
    }
    for (const [handler, fn] of Object.entries(functions)) {
      if (handler === 'authorizer') addSetting(fn, 'LATCHKEY_USAGE_PLANS', forAuthorizer);
      else {
        addSetting(fn, 'LATCHKEY_PLANS', planJson);
        addSetting(fn, 'LATCHKEY_USAGE_PLANS', settingsJson);
      }
      this.grant(handler, fn);
    }
  }

  private grant(handler: string, fn: LatchkeyFunction) {
    const region = Stack.of(this.scope).region;
    const partition = Stack.of(this.scope).partition;
    const arn = (path: string) => `arn:${partition}:apigateway:${region}::${path}`;
    const usagePlans = Object.values(this.plans);
    if (handler === 'authorizer' && this.mode === 'shared') {
      for (const { value } of Object.values(this.sharedKeys)) value.grantRead(fn);
    }
    // The sweep reads the live keys with a plan (status index), and their usage for the threshold events.
    if ((SWEEP_HANDLERS as readonly string[]).includes(handler)) {
      fn.addToRolePolicy(
        new PolicyStatement({
          actions: ['dynamodb:Query'],
          resources: [`${this.keysTableArn}/index/${INDEX.keysByStatus}`],
        }),
      );
    }
    if (handler === 'keys-quota' || (SWEEP_HANDLERS as readonly string[]).includes(handler)) {
      fn.addToRolePolicy(
        new PolicyStatement({
          actions: ['apigateway:GET'],
          resources: usagePlans.map((plan) => arn(`/usageplans/${plan.usagePlanId}/usage`)),
        }),
      );
    }
    const calls = this.mode === 'perKey' ? USAGE_PLAN_ACCESS[handler] : undefined;
    if (!calls) return;
    if (calls.includes('read'))
      fn.addToRolePolicy(
        new PolicyStatement({ actions: ['dynamodb:GetItem'], resources: [this.keysTableArn] }),
      );
    // Attaching writes the API key to the record after a fresh read (create and the sweep's repair
    // otherwise never read or update a key item by ID).
    if (calls.includes('attach')) {
      fn.addToRolePolicy(
        new PolicyStatement({
          actions: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
          resources: [this.keysTableArn],
        }),
      );
    }
    if (calls.includes('create'))
      fn.addToRolePolicy(new PolicyStatement({ actions: ['apigateway:POST'], resources: [arn('/apikeys')] }));
    if (calls.includes('attach')) {
      fn.addToRolePolicy(
        new PolicyStatement({
          actions: ['apigateway:POST'],
          resources: usagePlans.map((plan) => arn(`/usageplans/${plan.usagePlanId}/keys`)),
        }),
      );
    }
    if (calls.includes('delete'))
      fn.addToRolePolicy(
        new PolicyStatement({ actions: ['apigateway:DELETE'], resources: [arn('/apikeys/*')] }),
      );
    if (calls.includes('list'))
      fn.addToRolePolicy(new PolicyStatement({ actions: ['apigateway:GET'], resources: [arn('/apikeys')] }));
  }

  /** Attaches every usage plan to one more protected REST API stage. */
  addStage(api: IRestApi, stage: Stage) {
    for (const plan of Object.values(this.plans)) plan.addApiStage({ api, stage });
  }
}

/**
 * On a protected REST API with usage plans: API Gateway takes the usage plan key from the
 * authorizer (`apiKeySourceType: AUTHORIZER`, never from a client's `x-api-key`), and every method
 * behind `authorizer` requires one (`apiKeyRequired`), so no request skips its plan's limits.
 */
export function requireUsagePlanKeys(api: IRestApi, authorizer: IAuthorizer) {
  const cfn = api.node.defaultChild;
  if (cfn instanceof CfnRestApi) cfn.apiKeySourceType = 'AUTHORIZER';
  Aspects.of(api).add({
    visit(node: IConstruct) {
      if (node instanceof CfnMethod && node.authorizerId === authorizer.authorizerId)
        node.apiKeyRequired = true;
    },
  });
}
