import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { minVersion, satisfies } from 'semver';
import { describe, expect, it } from 'vitest';
import { root } from '../support/process.ts';

/**
 * `npm install` warns (EBADENGINE) for every installed package whose `engines.node` the running
 * Node does not meet. The lockfile records each package's engines, so the promise in
 * package.json can be held to every package: the oldest Node it admits must satisfy them all.
 */
const read = (file: string) => JSON.parse(readFileSync(join(root, file), 'utf8'));

describe('the Node requirement and the installed packages agree', () => {
  it('every package in the lockfile runs on the oldest Node that package.json admits', () => {
    const range: string = read('package.json').engines.node;
    const oldest = minVersion(range)?.version as string;
    const packages: Record<string, { engines?: { node?: string } | string[]; optional?: boolean }> =
      read('package-lock.json').packages;
    const refusing = Object.entries(packages)
      .filter(([path]) => path !== '')
      .flatMap(([path, pkg]) => {
        const node = Array.isArray(pkg.engines) ? undefined : pkg.engines?.node;
        return node && !satisfies(oldest, node) ? [`${path.replace(/^node_modules\//, '')}: ${node}`] : [];
      });
    expect(refusing, `package.json says node ${range}`).toEqual([]);
  });

  it('this machine (and CI) runs a Node that package.json admits', () => {
    expect(satisfies(process.version, read('package.json').engines.node)).toBe(true);
  });
});
