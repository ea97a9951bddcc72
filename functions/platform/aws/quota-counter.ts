import { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import type { QuotaCounter } from '#domain/shared/ports.ts';
import { usagePlanSettings } from '#platform/wiring/usage-plans.ts';
import { ApiGatewayKeys } from './gateway-keys.ts';

/**
 * Where a key's quota count comes from. Locally: the local server's limiter, which registers
 * itself here (it lives in the same process as the handlers). In AWS: API Gateway's GetUsage
 * for the key's own API key (perKey) or its plan's shared one (shared).
 */
let localCounter: ((keyId: string, plan: string) => number) | undefined;
export function useLocalQuotaCounter(counter: (keyId: string, plan: string) => number) {
  localCounter = counter;
}

let gateway: ApiGatewayKeys | undefined;
export function gatewayKeys(): ApiGatewayKeys | undefined {
  const settings = usagePlanSettings();
  if (!settings) return undefined;
  gateway ??= new ApiGatewayKeys(new APIGatewayClient({}), settings);
  return gateway;
}

export function quotaCounter(): QuotaCounter {
  return {
    async used(record, plan, from, to) {
      const settings = usagePlanSettings();
      const keys = gatewayKeys();
      if (!settings || !keys) return { used: localCounter?.(record.keyId, plan) ?? 0, shared: false };
      if (settings.mode === 'shared') {
        const apiKeyId = settings.plans[plan]?.apiKeyId;
        return { used: apiKeyId ? await keys.used(apiKeyId, plan, from, to) : 0, shared: true };
      }
      return {
        used: record.usageKeyId ? await keys.used(record.usageKeyId, plan, from, to) : 0,
        shared: false,
      };
    },
  };
}
