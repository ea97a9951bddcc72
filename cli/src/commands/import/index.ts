import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import type { Command } from 'commander';
import { examples } from '../../lib/command.ts';
import { Ctx, type Io } from '../../lib/context.ts';
import { ApiRefusal, NetworkFailure, ServerFailure, UsageError } from '../../lib/errors.ts';
import { keysFromApiGateway, keysFromCsv } from '../../lib/import-sources.ts';
import { importAll } from './run.ts';

/** An AWS SDK failure reading API Gateway, as the CLI's other failures read (and exit). */
function apiGatewayFailure(error: unknown, region: string, env: Io['env']): Error {
  const e = error as Error & { code?: string; $metadata?: { httpStatusCode?: number } };
  const status = e.$metadata?.httpStatusCode;
  if (e.name === 'CredentialsProviderError')
    return new UsageError(`could not load AWS credentials: ${e.message}`, [
      'set AWS_PROFILE or pass --profile, or run `aws sso login`',
    ]);
  if (status && status < 500) return new ApiRefusal(`API Gateway refused: ${e.message}`);
  if (status) return new ServerFailure(`API Gateway failed (HTTP ${status}): ${e.message}`);
  const endpoint = env.AWS_ENDPOINT_URL_API_GATEWAY ?? env.AWS_ENDPOINT_URL;
  return new NetworkFailure(`could not reach API Gateway in ${region} (${e.code ?? e.name})`, [
    `check your network and --region${endpoint ? ` (AWS_ENDPOINT_URL_API_GATEWAY is ${endpoint})` : ''}`,
  ]);
}

/** `import csv FILE` and `import apigateway --rest-api-id ID`: POST /v1/keys/import, in batches. */
export function register(program: Command, io: Io): void {
  const group = program
    .command('import')
    .description('store keys that another system issued (only their HMAC is kept; never echoed)');
  examples(
    group,
    'latchkey import csv keys.csv',
    'latchkey import apigateway --rest-api-id a1b2c3d4e5 --region eu-west-1',
  );

  const csv = group
    .command('csv')
    .description('import the keys of a CSV file (header: secret,name,owner,roles,expiresAt,…)')
    .argument('<file>', 'the CSV file; roles and permissions are ;-separated')
    .action(async (file: string, _flags: unknown, cmd: Command) => {
      const ctx = Ctx.of(io, cmd);
      let text: string;
      try {
        text = await readFile(resolve(io.cwd, file), 'utf8');
      } catch (error) {
        throw new UsageError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
      }
      let items: ReturnType<typeof keysFromCsv>;
      try {
        items = keysFromCsv(text);
      } catch (error) {
        throw new UsageError(`${file}: ${(error as Error).message}`);
      }
      if (!items.length) throw new UsageError(`${file} has a header but no keys`);
      // Rows are numbered as in the file: the header is row 1.
      await importAll(ctx, items, (i) => `row ${i + 2}`);
    });
  examples(
    csv,
    'latchkey import csv keys.csv',
    'printf "secret,name,owner,roles\\n$OLD_KEY,billing,team-billing,read;write\\n" > keys.csv',
  );

  const gateway = group
    .command('apigateway')
    .description("import a REST API's API Gateway keys (those of its usage plans), with their values")
    .requiredOption('--rest-api-id <id>', 'the REST API whose usage plans name the keys')
    .action(async (flags: { restApiId: string }, cmd: Command) => {
      const ctx = Ctx.of(io, cmd);
      const region = ctx.options.region ?? io.env.AWS_REGION ?? io.env.AWS_DEFAULT_REGION;
      if (!region) throw new UsageError('give --region (or set AWS_REGION) for API Gateway');
      const profile = ctx.options.profile ?? io.env.AWS_PROFILE;
      const client = new APIGatewayClient({
        region,
        credentials: fromNodeProviderChain(profile ? { profile } : {}),
      });
      try {
        const { items, skippedDisabled, skippedLatchkey } = await keysFromApiGateway(
          client,
          flags.restApiId,
        ).catch((error: unknown) => {
          throw apiGatewayFailure(error, region, io.env);
        });
        if (skippedLatchkey.length)
          ctx.err(
            `skipped ${skippedLatchkey.length} API Gateway key(s) that Latchkey's usage plans made (meters, not credentials): ${skippedLatchkey.join(', ')}`,
          );
        if (skippedDisabled.length)
          ctx.err(
            `skipped ${skippedDisabled.length} disabled API Gateway key(s): ${skippedDisabled.join(', ')}`,
          );
        if (!items.length) {
          ctx.err(`no enabled API keys are attached to the usage plans of ${flags.restApiId}`);
          if (ctx.json) ctx.printJson({ imported: [], failed: [] });
          return;
        }
        await importAll(ctx, items, (i) => `API Gateway key ${items[i]?.metadata?.apiGatewayKeyId ?? i}`);
      } finally {
        client.destroy();
      }
    });
  examples(gateway, 'latchkey import apigateway --rest-api-id a1b2c3d4e5 --region eu-west-1');
}
