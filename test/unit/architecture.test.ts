import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { BUNDLE } from '../../infra/bundling.ts';

/**
 * The shape of the code, held by its imports: the rooms (top-level folders and the layers of
 * functions/) and which may import which. See each folder's README.
 */
const root = fileURLToPath(new URL('../..', import.meta.url));
const ROOMS = ['functions', 'local', 'infra', 'cli', 'web', 'bench', 'packages'];
const SKIP = /(^|\/)(node_modules|dist|\.dist-[^/]*|\.build|cdk\.out)(\/|$)/;
const ALIASES: Record<string, string> = {
  '#domain/': 'functions/domain/',
  '#store/': 'functions/store/',
  '#platform/': 'functions/platform/',
  '#handlers/': 'functions/handlers/',
  '#contract/': 'functions/contract/',
  '#client/': 'packages/client/src/',
};

/** Every module specifier a file imports or re-exports, static or dynamic. */
function importsOf(source: string): string[] {
  const specifiers = [
    ...source.matchAll(/^\s*(?:import|export)\b[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/gm),
    ...source.matchAll(/^\s*import\s*['"]([^'"]+)['"]/gm),
    ...source.matchAll(/\bimport\(\s*['"`]([^'"`]+)['"`]\s*\)/g),
  ];
  return specifiers.map((m) => m[1] as string);
}

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir)).flatMap((name) => {
    const path = `${dir}/${name}`;
    if (SKIP.test(path)) return [];
    if (statSync(join(root, path)).isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx|js|mjs)$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** The repository path a specifier names, or undefined for a package (or a dynamic template). */
function resolve(from: string, spec: string): string | undefined {
  for (const [alias, dir] of Object.entries(ALIASES))
    if (spec.startsWith(alias)) return dir + spec.slice(alias.length);
  if (!spec.startsWith('.')) return undefined;
  return relative(root, normalize(join(root, dirname(from), spec)));
}

interface Edge {
  readonly from: string;
  readonly to: string;
  readonly spec: string;
}

const files = ROOMS.flatMap(sourceFiles);
const edges: Edge[] = files.flatMap((from) =>
  importsOf(readFileSync(join(root, from), 'utf8')).flatMap((spec) => {
    const to = resolve(from, spec);
    return to ? [{ from, to, spec }] : [];
  }),
);
const packagesOf = (file: string) =>
  importsOf(readFileSync(join(root, file), 'utf8')).filter((s) => !s.startsWith('.') && !s.startsWith('#'));

/** Strongly connected components of more than one file (Tarjan): the import cycles. */
function cycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let index = 0;
  const indexOf = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    indexOf.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!indexOf.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) as number, low.get(w) as number));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) as number, indexOf.get(w) as number));
    }
    if (low.get(v) === indexOf.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop() as string;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!indexOf.has(v)) visit(v);
  return found;
}

const offending = (rule: (e: Edge) => boolean) =>
  edges.filter(rule).map((e) => `${e.from} imports ${e.spec}`);
const under = (path: string, dir: string) => path === dir || path.startsWith(`${dir}/`);
const AWS_LIBRARIES = /^(@aws-sdk\/|@smithy\/|@aws-lambda-powertools\/|@middy\/|aws-lambda$|aws-cdk-lib)/;

describe('the shape of the code', () => {
  it('has no import cycle anywhere', () => {
    const graph = new Map<string, string[]>(files.map((f) => [f, []]));
    for (const e of edges) graph.get(e.from)?.push(e.to);
    expect(cycles(graph)).toEqual([]);
  });

  it('keeps the domain free of everything outside it, AWS libraries included', () => {
    const domain = files.filter((f) => under(f, 'functions/domain'));
    expect(offending((e) => under(e.from, 'functions/domain') && !under(e.to, 'functions/domain'))).toEqual(
      [],
    );
    expect(
      domain.flatMap((f) =>
        packagesOf(f)
          .filter((p) => AWS_LIBRARIES.test(p))
          .map((p) => `${f} imports ${p}`),
      ),
    ).toEqual([]);
  });

  it('keeps the store below the platform and the handlers', () => {
    expect(
      offending(
        (e) =>
          under(e.from, 'functions/store') &&
          (under(e.to, 'functions/platform') || under(e.to, 'functions/handlers')),
      ),
    ).toEqual([]);
  });

  it('keeps the platform below the handlers', () => {
    expect(
      offending((e) => under(e.from, 'functions/platform') && under(e.to, 'functions/handlers')),
    ).toEqual([]);
  });

  it('lets the CLI speak only HTTP: it imports neither the dashboard nor the functions', () => {
    expect(
      offending((e) => under(e.from, 'cli') && (under(e.to, 'web') || under(e.to, 'functions'))),
    ).toEqual([]);
  });

  it('keeps the dashboard app to itself', () => {
    expect(offending((e) => under(e.from, 'web/src') && !under(e.to, 'web/src'))).toEqual([]);
  });

  it('keeps each dashboard feature to itself: shared parts live in components/', () => {
    const feature = (path: string) => /^web\/src\/features\/([^/]+)\//.exec(path)?.[1];
    expect(
      offending((e) => !!feature(e.from) && !!feature(e.to) && feature(e.from) !== feature(e.to)),
    ).toEqual([]);
  });

  it("keeps the dashboard's layers: lib below the API, components below the features and routes", () => {
    expect(
      offending(
        (e) =>
          (under(e.from, 'web/src/lib') &&
            ['api', 'components', 'features', 'routes'].some((room) => under(e.to, `web/src/${room}`))) ||
          (under(e.from, 'web/src/components') &&
            ['features', 'routes'].some((room) => under(e.to, `web/src/${room}`))) ||
          (under(e.from, 'web/src/api') &&
            ['components', 'features', 'routes'].some((room) => under(e.to, `web/src/${room}`))),
      ),
    ).toEqual([]);
  });

  it('builds the deployed stack from the domain and the settings, never from the runtime platform', () => {
    expect(
      offending(
        (e) =>
          under(e.from, 'infra') &&
          under(e.to, 'functions') &&
          !['functions/domain', 'functions/config', 'functions/store/tables.ts', 'functions/routes.ts'].some(
            (allowed) => under(e.to, allowed),
          ),
      ),
    ).toEqual([]);
  });

  it('keeps the settings module at the bottom: it reads the environment and nothing of the service', () => {
    expect(
      offending(
        (e) =>
          under(e.from, 'functions/config') &&
          !['functions/config', 'functions/domain', 'functions/store/tables.ts'].some((allowed) =>
            under(e.to, allowed),
          ),
      ),
    ).toEqual([]);
  });

  it('makes the contract from the domain and the route tables only', () => {
    expect(
      offending(
        (e) =>
          under(e.from, 'functions/contract') &&
          ![
            'functions/contract',
            'functions/domain',
            'functions/routes.ts',
            'functions/platform/http/error-status.ts',
          ].some((allowed) => under(e.to, allowed)),
      ),
    ).toEqual([]);
  });

  it("keeps the contract, the answers' schemas and their libraries out of the authorizer's bundle", async () => {
    const { metafile } = await build({
      entryPoints: [join(root, 'functions/handlers/authorizer.ts')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: BUNDLE.target,
      mainFields: [...BUNDLE.mainFields],
      define: { ...BUNDLE.define },
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = Object.keys(metafile.inputs);
    expect(inputs).toContain('functions/domain/verify/verify.ts');
    expect(
      inputs.filter((f) =>
        /^functions\/contract\/|-answers?\.ts$|node_modules\/(zod-openapi|openapi-typescript)\//.test(f),
      ),
    ).toEqual([]);
  });

  it('keeps the client package to itself: it imports nothing of the repository', () => {
    expect(offending((e) => under(e.from, 'packages/client') && !under(e.to, 'packages/client'))).toEqual([]);
  });

  it('keeps every handler thin: 40 lines or fewer', () => {
    const long = files
      .filter((f) => under(f, 'functions/handlers'))
      .map((f) => ({ f, lines: readFileSync(join(root, f), 'utf8').trimEnd().split('\n').length }))
      .filter(({ lines }) => lines > 40)
      .map(({ f, lines }) => `${f}: ${lines} lines`);
    expect(long).toEqual([]);
  });

  it('names every module it loads, so readers and tools can follow each import', () => {
    const dynamic = files.flatMap((f) =>
      [...readFileSync(join(root, f), 'utf8').matchAll(/\bimport\(\s*`[^`]*\$\{/g)].map(() => f),
    );
    expect(dynamic).toEqual([]);
  });
});

describe('the checks themselves', () => {
  it('see every kind of import', () => {
    const sample = [
      "import type { KeyStore } from '#store/port.ts';",
      "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';",
      "export { x } from '../platform/aws.ts';",
      "const m = await import('#handlers/verify.ts');",
      "import './styles.css';",
    ].join('\n');
    expect(importsOf(sample)).toEqual([
      '#store/port.ts',
      '@aws-sdk/client-dynamodb',
      '../platform/aws.ts',
      './styles.css',
      '#handlers/verify.ts',
    ]);
  });

  it('find a cycle and only a cycle', () => {
    const graph = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
      ['d', ['a']],
    ]);
    expect(cycles(graph)).toEqual([['a', 'b', 'c']]);
    expect(
      cycles(
        new Map([
          ['a', ['b']],
          ['b', []],
        ]),
      ),
    ).toEqual([]);
  });

  it('read a real file of each room', () => {
    for (const room of ROOMS) expect(files.some((f) => under(f, room))).toBe(true);
    expect(edges.length).toBeGreaterThan(300);
  });
});
