import { Sha256 } from '@aws-crypto/sha256-js';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';

/**
 * SigV4 for a deployed management API (API Gateway, IAM auth, service `execute-api`). The CLI
 * uses it for every request with `--endpoint`; the dashboard's proxy can import it as well.
 * Signing is Smithy's SignatureV4 and credentials come from the SDK's standard chain.
 */
export const SERVICE = 'execute-api';

export interface SignerOptions {
  readonly region: string;
  /** A named profile from ~/.aws/config; otherwise the chain's default order (env, SSO, ini, IMDS…). */
  readonly profile?: string;
  /** Fixed credentials or a provider, instead of the standard chain. */
  readonly credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
}

export interface RequestToSign {
  readonly method: string;
  readonly url: string | URL;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
}

export type RequestSigner = (request: RequestToSign) => Promise<Record<string, string>>;

/** The query of a URL as Smithy's HttpRequest wants it (repeated names become lists). */
export function queryOf(url: URL): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const [name, value] of url.searchParams) {
    const seen = query[name];
    query[name] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value];
  }
  return query;
}

/** A Smithy HttpRequest for a URL: what both the signer and a verifier of signatures sign. */
export function httpRequestOf(request: RequestToSign): HttpRequest {
  const url = new URL(request.url);
  return new HttpRequest({
    method: request.method.toUpperCase(),
    protocol: url.protocol,
    hostname: url.hostname,
    port: url.port ? Number(url.port) : undefined,
    path: url.pathname,
    query: queryOf(url),
    headers: { ...request.headers, host: url.host },
    body: request.body,
  });
}

/** A SignatureV4 for `execute-api` in a region. */
export function executeApiSignatureV4(
  region: string,
  credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider,
): SignatureV4 {
  return new SignatureV4({ service: SERVICE, region, credentials, sha256: Sha256 });
}

/**
 * A signer: given a request, the headers to send with it (the caller's, plus `authorization`,
 * `x-amz-date`, `x-amz-content-sha256` and, with temporary credentials, `x-amz-security-token`).
 * `host` is signed but not returned: the HTTP client sets it from the URL.
 */
export function createSigner(options: SignerOptions): RequestSigner {
  const credentials =
    options.credentials ?? fromNodeProviderChain(options.profile ? { profile: options.profile } : {});
  const signer = executeApiSignatureV4(options.region, credentials);
  return async (request) => {
    const signed = await signer.sign(httpRequestOf(request));
    const { host: _host, ...headers } = signed.headers;
    return headers;
  };
}

/**
 * The region in an API Gateway host name: `<api-id>.execute-api.<region>.amazonaws.com` (also
 * `.amazonaws.com.cn` and private `<api-id>-<vpce-id>.execute-api.<region>.vpce.amazonaws.com`).
 * Custom domain names carry no region: undefined.
 */
export function regionFromHost(host: string): string | undefined {
  const match =
    /^[a-z0-9-]+\.execute-api\.([a-z]{2}(?:-[a-z]+)+-\d+)\.(?:vpce\.)?amazonaws\.com(?:\.cn)?$/i.exec(
      host.replace(/:\d+$/, ''),
    );
  return match?.[1]?.toLowerCase();
}
