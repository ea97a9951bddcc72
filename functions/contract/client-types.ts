import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';
import { openApiDocument } from './openapi.ts';

/** Where the client package keeps the API's types (committed; `npm run contract` writes it). */
export const CLIENT_TYPES_FILE = fileURLToPath(
  new URL('../../packages/client/src/types.ts', import.meta.url),
);

const HEADER = `/**
 * The Latchkey API's types, generated from its OpenAPI document (functions/contract/) by
 * openapi-typescript: \`npm run contract\` writes this file, and a test fails when it is stale.
 * Do not edit it by hand.
 */
`;

/** The types module: \`paths\`, \`operations\`, \`components\`, and each schema by its name (\`ApiKey\`). */
export async function clientTypes(): Promise<string> {
  const ast = await openapiTS(openApiDocument() as Parameters<typeof openapiTS>[0], {
    rootTypes: true,
    rootTypesNoSchemaPrefix: true,
    rootTypesKeepCasing: true,
    alphabetize: false,
    silent: true,
    // A field with a default is optional in a request; zod's output schemas mark what answers always carry.
    defaultNonNullable: false,
  });
  return `${HEADER}\n${astToString(ast)}`;
}

if (process.argv[1] === fileURLToPath(import.meta.url))
  await writeFile(CLIENT_TYPES_FILE, await clientTypes());
