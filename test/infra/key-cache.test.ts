import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import type { ApiKeyServiceProps } from '../../infra/api-key-service.ts';
import { serviceAlone } from '../support/stack.ts';

const make = (props: ApiKeyServiceProps) => () => {
  const service = serviceAlone(props);
  const stack = Stack.of(service);
  return { template: Template.fromStack(stack), service, stack };
};

/** The authorizer function's environment variables. */
function authorizerEnv(props: ApiKeyServiceProps): Record<string, unknown> {
  const { template, service, stack } = make(props)();
  const logicalId = stack.getLogicalId(service.authorizer.node.defaultChild as never);
  const fn = template.findResources('AWS::Lambda::Function')[logicalId];
  return fn?.Properties.Environment.Variables ?? {};
}

describe('the hot-key cache in the construct', () => {
  it('is off by default: the authorizer gets no cache setting', () => {
    const vars = authorizerEnv({});
    expect(vars).not.toHaveProperty('LATCHKEY_KEY_CACHE_SECONDS');
    expect(vars).not.toHaveProperty('LATCHKEY_AUTHORIZER_CACHE_SECONDS');
  });

  it('reaches the authorizer only, with the API Gateway TTL it adds to the revocation bound', () => {
    const { template, service, stack } = make({
      keyCacheSeconds: 5,
      authorizerResultsCacheTtl: Duration.seconds(30),
      maxRevocationSeconds: 35,
    })();
    const logicalId = stack.getLogicalId(service.authorizer.node.defaultChild as never);
    const functions = template.findResources('AWS::Lambda::Function');
    expect(functions[logicalId]?.Properties.Environment.Variables).toMatchObject({
      LATCHKEY_KEY_CACHE_SECONDS: '5',
      LATCHKEY_AUTHORIZER_CACHE_SECONDS: '30',
    });
    // The management API (POST /v1/verify included) always reads the key.
    for (const [id, fn] of Object.entries(functions)) {
      if (id === logicalId) continue;
      expect(fn.Properties.Environment?.Variables ?? {}).not.toHaveProperty('LATCHKEY_KEY_CACHE_SECONDS');
    }
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ LATCHKEY_KEY_CACHE_SECONDS: '5' }) },
    });
  });

  it('refuses a cache and API Gateway TTL whose revocation bound is over maxRevocationSeconds', () => {
    expect(
      make({ keyCacheSeconds: 5, authorizerResultsCacheTtl: Duration.seconds(30), maxRevocationSeconds: 20 }),
    ).toThrow(
      /revocation would take up to 35 s \(keyCacheSeconds 5 \+ authorizerResultsCacheTtl 30 s\), over maxRevocationSeconds 20/,
    );
    expect(make({ keyCacheSeconds: 10, maxRevocationSeconds: 9 })).toThrow(/over maxRevocationSeconds 9/);
    expect(make({ keyCacheSeconds: 10, maxRevocationSeconds: 10 })).not.toThrow();
  });

  it('refuses a cache over 10 s, and a bad maximum', () => {
    expect(make({ keyCacheSeconds: 11 })).toThrow(/keyCacheSeconds must be an integer from 0 to 10/);
    expect(make({ keyCacheSeconds: 1.5 })).toThrow(/keyCacheSeconds must be an integer/);
    expect(make({ maxRevocationSeconds: -1 })).toThrow(
      /maxRevocationSeconds must be an integer of 0 or more/,
    );
  });
});
