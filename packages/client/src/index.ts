export {
  type AwsCredentials,
  type ClientOptions,
  LatchkeyClient,
  type ListOperation,
  type Page,
  paginate,
  regionFromHost,
} from './client.ts';
export { LatchkeyError } from './errors.ts';
export type { Answer, Body, Input, OperationId, Query } from './operations.ts';
export { ROUTES } from './operations.ts';
