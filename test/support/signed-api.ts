import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, afterEach, beforeAll, beforeEach, vi } from 'vitest';

/** Made-up credentials (AWS's documentation examples) that the clients under test sign with. */
export const CREDENTIALS = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  sessionToken: 'IQoJb3JpZ2luX2VjEXAMPLEsessionTOKEN',
};

/** An environment that gives `CREDENTIALS`, and nothing else to reach for: no instance metadata, no profile. */
export const CREDENTIAL_ENV = {
  AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
  AWS_SESSION_TOKEN: CREDENTIALS.sessionToken,
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_CONFIG_FILE: '/dev/null',
  AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
};

/**
 * Puts `CREDENTIAL_ENV` and `extra` (undefined unsets) in process.env, where the credential chain
 * of an in-process CLI reads them, for each test (`'test'`) or for the file's tests as one
 * (`'file'`); whatever a test stubs with `vi.stubEnv` is restored with it.
 */
export function useCredentialEnv(
  extra: Record<string, string | undefined> = {},
  scope: 'test' | 'file' = 'test',
): void {
  const stub = () => {
    for (const [name, value] of Object.entries({ ...CREDENTIAL_ENV, ...extra })) vi.stubEnv(name, value);
  };
  const restore = () => {
    vi.unstubAllEnvs();
  };
  if (scope === 'file') {
    beforeAll(stub);
    afterAll(restore);
  } else {
    beforeEach(stub);
    afterEach(restore);
  }
}

/** A request as the stand-in received it. */
export interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A request's SigV4 Authorization header, and the one API Gateway computes for it. */
export interface Resigned {
  accessKeyId: string;
  region: string;
  service: string;
  signedHeaders: string;
  authorization: string;
  expected: string | undefined;
}

/**
 * What API Gateway does with IAM auth: recompute the signature from the request as received
 * (the payload hash from the body, not from x-amz-content-sha256) with `credentials`.
 */
export async function resign(request: Received, credentials = CREDENTIALS): Promise<Resigned> {
  const authorization = String(request.headers.authorization);
  const match =
    /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(
      authorization,
    );
  if (!match) throw new Error(`not a SigV4 Authorization header: ${authorization}`);
  const [, accessKeyId = '', , region = '', service = '', signedHeaders = ''] = match;
  const url = new URL(request.url, `http://${request.headers.host}`);
  const query: Record<string, string | string[]> = {};
  for (const [name, value] of url.searchParams) {
    const seen = query[name];
    query[name] = seen === undefined ? value : [...([] as string[]).concat(seen), value];
  }
  const headers: Record<string, string> = {};
  for (const name of signedHeaders.split(';')) {
    if (name !== 'x-amz-content-sha256') headers[name] = String(request.headers[name]);
  }
  const amzDate = String(request.headers['x-amz-date']);
  const signingDate = new Date(
    `${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`,
  );
  const signer = new SignatureV4({ service, region, credentials, sha256: Sha256 });
  const expected = await signer.sign(
    new HttpRequest({
      method: request.method,
      protocol: 'http:',
      hostname: url.hostname,
      port: Number(url.port),
      path: url.pathname,
      query,
      headers,
      body: request.body || undefined,
    }),
    { signingDate },
  );
  return {
    accessKeyId,
    region,
    service,
    signedHeaders,
    authorization,
    expected: expected.headers.authorization,
  };
}

/** Whether API Gateway would take the request's signature as made with `credentials` for execute-api. */
export async function signatureValid(request: Received, credentials = CREDENTIALS): Promise<boolean> {
  try {
    const checked = await resign(request, credentials);
    return (
      checked.accessKeyId === credentials.accessKeyId &&
      checked.service === 'execute-api' &&
      checked.expected === checked.authorization
    );
  } catch {
    return false;
  }
}

export interface SignedApi {
  /** The stage URL, as `--endpoint` takes it. */
  readonly endpoint: string;
  /** Every request it got, in order, with whether its signature held. */
  readonly received: (Received & { signatureValid: boolean })[];
}

/** The stand-in's answer: a status, a JSON body (none if undefined) and headers to add. */
export type SignedAnswer = [status: number, body: unknown, headers?: Record<string, string>];

/**
 * A stand-in for an API Gateway stage with IAM auth, on 127.0.0.1 for the tests of a file: it
 * checks each request's signature as API Gateway would, records it, and answers with `answer`.
 * Its endpoint is `/<stage>` on that port.
 */
export function useSignedApi(
  answer: (request: Received, signatureValid: boolean) => SignedAnswer | Promise<SignedAnswer>,
  stage = 'prod',
): SignedApi {
  const received: SignedApi['received'] = [];
  let endpoint: string | undefined;
  let server: Server | undefined;
  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      req.on('end', async () => {
        const request = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
        const valid = await signatureValid(request);
        received.push({ ...request, signatureValid: valid });
        const [status, payload, headers = {}] = await answer(request, valid);
        res
          .writeHead(status, { 'content-type': 'application/json', ...headers })
          .end(JSON.stringify(payload));
      });
    });
    const listening = server;
    await new Promise<void>((resolve) => listening.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(listening.address() as AddressInfo).port}/${stage}`;
  });
  afterAll(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));
  return {
    get endpoint() {
      if (!endpoint)
        throw new Error('the signed API stand-in starts in beforeAll: use it inside a test or a hook');
      return endpoint;
    },
    received,
  };
}
