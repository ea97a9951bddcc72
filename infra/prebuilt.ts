import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * What the packed `@latchkey/cdk` carries beside its bundle (packages/cdk/build.ts writes it): each
 * handler already bundled, in `lambda/<handler>/`, and the portal's built app, in `portal/`. A
 * consumer's synth deploys them as they are and builds nothing. This module is bundled into the
 * package, so its `import.meta.url` is the bundle's; in this repository it is a source file with no
 * manifest beside it, and every function is bundled from its source.
 */
export const PREBUILT_MANIFEST = 'latchkey-prebuilt.json';

const here = fileURLToPath(new URL('.', import.meta.url));
const packed = existsSync(join(here, PREBUILT_MANIFEST));

/** The folder of `handler`'s prebuilt code in the packed package; undefined in this repository. */
export function prebuiltHandler(handler: string): string | undefined {
  if (!packed) return undefined;
  const folder = join(here, 'lambda', handler);
  if (!existsSync(join(folder, 'index.mjs')))
    throw new Error(
      `@latchkey/cdk: the package carries no prebuilt code for the ${handler} function (${folder})`,
    );
  return folder;
}

/** The portal's built app in the packed package; undefined in this repository. */
export const PREBUILT_PORTAL: string | undefined = packed ? join(here, 'portal') : undefined;
