import { existsSync } from 'node:fs';
import { mkdtemp, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HANDLER_MODULES } from '../../functions/handler-modules.ts';
import { root, runProcess } from '../support/process.ts';

/**
 * `@latchkey/cdk` as a team gets it: packed (its prepack builds the handlers), installed from the
 * tarball into a fresh CDK app of its own with aws-cdk-lib, constructs and cdk-nag from the registry,
 * and synthesized there with no AWS credentials and nothing of this repository but the tarball. The
 * app protects a REST API and an HTTP API of its own; cdk-nag's AwsSolutions checks run on it.
 */
const packageDir = join(root, 'packages/cdk');
const versionOf = async (name: string) =>
  (
    JSON.parse(await readFile(join(root, 'node_modules', name, 'package.json'), 'utf8')) as {
      version: string;
    }
  ).version;

const APP = `import { App, Stack, Validations } from 'aws-cdk-lib';
import { AccessLogFormat, LogGroupLogDestination, MockIntegration, RestApi } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUrlIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { ApiKeyService } from '@latchkey/cdk';
import { AwsSolutionsChecks } from 'cdk-nag';

const app = new App();
const stack = new Stack(app, 'Shop');
const service = new ApiKeyService(stack, 'ApiKeys', { environmentName: 'shop' });

const rest = new RestApi(stack, 'OrdersRestApi', {
  deployOptions: {
    accessLogDestination: new LogGroupLogDestination(new LogGroup(stack, 'OrdersAccessLogs')),
    accessLogFormat: AccessLogFormat.jsonWithStandardFields(),
    tracingEnabled: true,
  },
  cloudWatchRole: false,
});
rest.root.addResource('orders').addMethod(
  'GET',
  new MockIntegration({ requestTemplates: { 'application/json': '{"statusCode": 200}' }, integrationResponses: [{ statusCode: '200' }] }),
  { authorizer: service.restAuthorizer(rest), methodResponses: [{ statusCode: '200' }] },
);

const http = new HttpApi(stack, 'OrdersHttpApi');
http.addRoutes({
  path: '/orders',
  methods: [HttpMethod.GET],
  integration: new HttpUrlIntegration('Orders', 'https://orders.example.com/orders'),
  authorizer: service.httpAuthorizer(stack),
});

const reasons: Record<string, string> = {
  'AwsSolutions-APIG2': 'The backend validates its own input.',
  'AwsSolutions-APIG3': 'The web ACL is attached where the team deploys.',
  'AwsSolutions-APIG6': 'Access logs are on; execution logging is the team\\'s choice.',
  'AwsSolutions-COG4': 'These routes are authorized by the Latchkey Lambda authorizer, not Cognito.',
  'AwsSolutions-APIG1': 'The HTTP API stage logs where the team deploys.',
};
for (const [id, reason] of Object.entries(reasons)) Validations.of(rest).acknowledge({ id, reason });
for (const [id, reason] of Object.entries(reasons)) Validations.of(http).acknowledge({ id, reason });
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
app.synth();
`;

let work: string;
let app: string;
let installed: string;
let synth: { code: number; stdout: string; stderr: string };

/** The environment of every step: no AWS credentials, account or Region, so nothing can reach AWS. */
function offline(): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(process.env))
    if (!/^(AWS_|CDK_|NODE_OPTIONS$|VITEST|npm_)/.test(name)) env[name] = value;
  return { ...env, AWS_REGION: '', AWS_DEFAULT_REGION: '', AWS_PROFILE: '', AWS_ACCESS_KEY_ID: '' };
}

async function run(command: string[], cwd: string, env = offline()) {
  const result = await runProcess(command, { cwd, env });
  expect(result.code, `${command.join(' ')}\n${result.stderr}`).toBe(0);
  return result;
}

beforeAll(async () => {
  work = await realpath(await mkdtemp(join(tmpdir(), 'latchkey-cdk-package-')));
  const packed = await run(['npm', 'pack', '--json', '--pack-destination', work], packageDir);
  const [{ filename }] = JSON.parse(packed.stdout) as [{ filename: string }];

  app = join(work, 'app');
  await run(['mkdir', '-p', app], work);
  await writeFile(
    join(app, 'package.json'),
    JSON.stringify({
      name: 'shop-infra',
      private: true,
      type: 'module',
      dependencies: {
        '@latchkey/cdk': `file:${join(work, filename)}`,
        'aws-cdk-lib': await versionOf('aws-cdk-lib'),
        constructs: await versionOf('constructs'),
        'cdk-nag': await versionOf('cdk-nag'),
      },
    }),
  );
  await run(['npm', 'install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts'], app);
  installed = join(app, 'node_modules/@latchkey/cdk');

  // The team's own TypeScript, checked against the package's declarations, then run with plain node.
  await writeFile(join(app, 'app.ts'), APP);
  await writeFile(
    join(app, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        strict: true,
        skipLibCheck: true,
        types: [],
      },
      files: ['app.ts'],
    }),
  );
  await run([process.execPath, join(root, 'node_modules/typescript/bin/tsc'), '-p', app], app);
  synth = await run([process.execPath, 'app.js'], app, {
    ...offline(),
    CDK_OUTDIR: join(app, 'cdk.out'),
    // Each asset stays where it is, so the assembly names the folder every asset comes from.
    CDK_CONTEXT_JSON: JSON.stringify({ 'aws:cdk:disable-asset-staging': true }),
  });
}, 600_000);

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

interface Assets {
  files: Record<string, { source: { path: string; packaging?: string } }>;
}

describe('@latchkey/cdk, packed and installed into a CDK app of its own', () => {
  it('installs without esbuild and without this repository', () => {
    expect(existsSync(join(app, 'node_modules/esbuild'))).toBe(false);
    expect(existsSync(join(installed, 'dist/index.js'))).toBe(true);
    expect(existsSync(join(installed, 'dist/index.d.ts'))).toBe(true);
    expect(existsSync(join(installed, 'src'))).toBe(false);
  });

  it('synthesizes offline, cdk-nag clean', () => {
    expect(synth.stderr).not.toMatch(/AwsSolutions-/);
    expect(existsSync(join(app, 'cdk.out/Shop.template.json'))).toBe(true);
  });

  it("deploys every function from the package's prebuilt code, and the portal from its built app", async () => {
    const template = JSON.parse(await readFile(join(app, 'cdk.out/Shop.template.json'), 'utf8')) as {
      Resources: Record<string, { Type: string; Properties: { Code?: { S3Key?: string } } }>;
    };
    const assets = JSON.parse(await readFile(join(app, 'cdk.out/Shop.assets.json'), 'utf8')) as Assets;
    const sourceOf = (key: string) =>
      assets.files[key.replace(/\.zip$/, '')]?.source.path ?? `(no asset ${key})`;
    const functions = Object.entries(template.Resources).filter(
      ([, r]) => r.Type === 'AWS::Lambda::Function',
    );
    const latchkey = functions.filter(([id]) => !id.startsWith('CustomCDKBucketDeployment'));
    const ours = join(installed, 'dist/lambda') + sep;

    const sources = latchkey.map(([, r]) => sourceOf(r.Properties.Code?.S3Key ?? ''));
    expect(sources.filter((path) => !path.startsWith(ours))).toEqual([]);
    const handlers = sources.map((path) => path.slice(ours.length));
    expect(handlers.every((handler) => handler in HANDLER_MODULES)).toBe(true);
    expect(handlers).toContain('authorizer');
    expect(new Set(handlers).size).toBe(latchkey.length);

    // The only other function is CDK's own upload of the portal, from aws-cdk-lib in the app.
    for (const [, r] of functions.filter(([id]) => id.startsWith('CustomCDKBucketDeployment')))
      expect(sourceOf(r.Properties.Code?.S3Key ?? '')).toContain(join(app, 'node_modules/aws-cdk-lib') + sep);
    const paths = Object.values(assets.files)
      .map((a) => a.source.path)
      .filter((path) => path !== 'Shop.template.json');
    expect(paths).toContain(join(installed, 'dist/portal'));
    expect(paths.filter((path) => !path.startsWith(app + sep))).toEqual([]);
  });
});
