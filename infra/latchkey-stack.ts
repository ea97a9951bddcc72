import { Stack, type StackProps } from 'aws-cdk-lib';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import type { Construct } from 'constructs';
import { ApiKeyService, type ApiKeyServiceProps } from './api-key-service.ts';

export interface LatchkeyStackProps extends StackProps {
  readonly service?: ApiKeyServiceProps;
  /**
   * The portal's certificate by its ARN (ACM, us-east-1), for a deployment set up from context
   * (`-c portalCertificateArn=…`); `service.portal.certificate` takes a certificate object instead.
   * @default undefined
   */
  readonly portalCertificateArn?: string;
}

/** The deployable stack: one ApiKeyService. */
export class LatchkeyStack extends Stack {
  readonly service: ApiKeyService;

  constructor(scope: Construct, id: string, props: LatchkeyStackProps = {}) {
    super(scope, id, props);
    const { service = {}, portalCertificateArn } = props;
    this.service = new ApiKeyService(this, 'ApiKeys', {
      ...service,
      ...(portalCertificateArn
        ? {
            portal: {
              ...service.portal,
              certificate: Certificate.fromCertificateArn(this, 'PortalCertificate', portalCertificateArn),
            },
          }
        : {}),
    });
  }
}
