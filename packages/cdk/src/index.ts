/**
 * `@latchkey/cdk`: the `ApiKeyService` construct. In this repository it resolves to the sources
 * (tsconfig.json `paths`); the packed package is this module bundled, with its Lambda code and the
 * portal's built app prebuilt beside it (build.ts).
 */
export * from '../../../infra/api-key-service.ts';
export type { LatchkeyFunction, LatchkeyFunctionProps } from '../../../infra/latchkey-function.ts';
