import { Sha256 } from '@aws-crypto/sha256-js';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';

/** SigV4 for a deployed management API (API Gateway with IAM authorization). */
export interface AwsCredentials {
  /** The API's region; read from an `<id>.execute-api.<region>.amazonaws.com` base URL when left out. */
  readonly region?: string;
  /** A named profile from ~/.aws/config; otherwise the standard chain's order (env, SSO, ini, IMDS…). */
  readonly profile?: string;
  /** Fixed credentials or a provider, instead of the standard chain. */
  readonly credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
}

export interface RequestToSign {
  readonly method: string;
  readonly url: URL;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

/**
 * SigV4 for a deployed management API (API Gateway, IAM auth, service `execute-api`): Smithy's
 * SignatureV4, credentials from the SDK's standard chain unless given. Loaded only when a client
 * signs, so a client with a token (or in a browser) never loads the AWS SDK.
 */
export function createSigner(options: AwsCredentials & { readonly region: string }) {
  const credentials =
    options.credentials ?? fromNodeProviderChain(options.profile ? { profile: options.profile } : {});
  const signer = new SignatureV4({
    service: 'execute-api',
    region: options.region,
    credentials,
    sha256: Sha256,
  });
  return async (request: RequestToSign): Promise<Record<string, string>> => {
    const query: Record<string, string | string[]> = {};
    for (const [name, value] of request.url.searchParams) {
      const seen = query[name];
      query[name] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value];
    }
    const signed = await signer.sign(
      new HttpRequest({
        method: request.method,
        protocol: request.url.protocol,
        hostname: request.url.hostname,
        port: request.url.port ? Number(request.url.port) : undefined,
        path: request.url.pathname,
        query,
        headers: { ...request.headers, host: request.url.host },
        body: request.body,
      }),
    );
    // `host` is signed but fetch sets it from the URL (and refuses it as a header).
    const { host: _host, ...headers } = signed.headers;
    return headers;
  };
}
