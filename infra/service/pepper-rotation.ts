import { Duration } from 'aws-cdk-lib';
import type { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { ServiceFunctionFactory } from './function-factory.ts';

/**
 * The pepper's rotation: Secrets Manager's schedule calls Latchkey's rotation function, which adds
 * a pepper version and keeps the old ones (functions/platform/aws/pepper-rotation-steps.ts). The
 * schedule grants the function the secret's read and write.
 */
export function createPepperRotation(functions: ServiceFunctionFactory, pepper: Secret, days: number) {
  const rotation = functions.make({ handler: 'pepper-rotation', timeout: Duration.seconds(30) });
  pepper.addRotationSchedule('Rotation', {
    rotationLambda: rotation,
    automaticallyAfter: Duration.days(days),
    rotateImmediatelyOnUpdate: false,
  });
  return rotation;
}
