import { settings, tableName } from '#config/settings.ts';
import { dynamoDocument, secretsClient } from '#platform/aws/clients.ts';
import { type RotationEvent, rotationStep } from '#platform/aws/pepper-rotation-steps.ts';
import { DynamoPepperUsageStore } from '#store/dynamo-pepper.ts';

const store = new DynamoPepperUsageStore(
  dynamoDocument(),
  { keys: tableName('keys'), owners: tableName('owners'), audit: tableName('audit') },
  settings().LATCHKEY_AUDIT_RETENTION_DAYS,
);

/** The pepper secret's rotation function (Secrets Manager's schedule calls it for each step). */
export async function handler(event: RotationEvent): Promise<void> {
  await rotationStep(event, { client: secretsClient(), track: (v) => store.track(v), now: () => new Date() });
}
