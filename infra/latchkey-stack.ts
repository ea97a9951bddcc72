import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { ApiKeyService, type ApiKeyServiceProps } from './api-key-service.ts';

export interface LatchkeyStackProps extends StackProps {
  readonly service?: ApiKeyServiceProps;
}

/** The deployable stack: one ApiKeyService. */
export class LatchkeyStack extends Stack {
  readonly service: ApiKeyService;

  constructor(scope: Construct, id: string, props: LatchkeyStackProps = {}) {
    super(scope, id, props);
    this.service = new ApiKeyService(this, 'ApiKeys', props.service);
  }
}
