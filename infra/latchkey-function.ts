import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Architecture, Code, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { type SettingName, type SettingValues, settingsEnvironment } from '../functions/config/settings.ts';
import { BUNDLE } from './bundling.ts';
import { prebuiltHandler } from './prebuilt.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

export interface LatchkeyFunctionProps {
  /** Module under functions/handlers/ that exports `handler`. */
  readonly handler: string;
  /** Its settings, by the names of the one settings schema (functions/config/settings.ts). */
  readonly environment?: SettingValues;
  /** @default 256 */
  readonly memorySize?: number;
  /** @default Duration.seconds(10) */
  readonly timeout?: Duration;
  /** @default RetentionDays.ONE_MONTH */
  readonly logRetention?: RetentionDays;
}

/**
 * Every Latchkey function, built one way: Node.js 22 on ARM64, an ESM bundle (minified, source
 * maps, SDK bundled), X-Ray tracing, and its own log group with a retention. The packed
 * `@latchkey/cdk` deploys the bundle it carries (the same esbuild settings, applied when it was
 * packed); in this repository each function is bundled from its source.
 */
export class LatchkeyFunction extends NodejsFunction {
  readonly logGroupRef: LogGroup;

  constructor(scope: Construct, id: string, props: LatchkeyFunctionProps) {
    const logGroup = new LogGroup(scope, `${id}Logs`, {
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const prebuilt = prebuiltHandler(props.handler);
    super(scope, id, {
      ...(prebuilt
        ? { code: Code.fromAsset(prebuilt), handler: 'index.handler' }
        : {
            entry: `${root}functions/handlers/${props.handler}.ts`,
            projectRoot: root,
            depsLockFilePath: `${root}package-lock.json`,
          }),
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 256,
      timeout: props.timeout ?? Duration.seconds(10),
      tracing: Tracing.ACTIVE,
      logGroup,
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: 'latchkey',
        POWERTOOLS_METRICS_NAMESPACE: 'Latchkey',
        ...settingsEnvironment(props.environment ?? {}),
      },
      bundling: {
        format: OutputFormat.ESM,
        minify: true,
        sourceMap: true,
        target: BUNDLE.target,
        mainFields: [...BUNDLE.mainFields],
        banner: BUNDLE.banner,
        define: { ...BUNDLE.define },
        externalModules: [],
      },
    });
    this.logGroupRef = logGroup;
  }
}

/** Adds one setting to a function made before its value was known (the usage plans, say). */
export function addSetting(fn: LatchkeyFunction, name: SettingName, value: string): void {
  fn.addEnvironment(name, value);
}
