import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const read = (file: string) => readFileSync(join(root, file), 'utf8');
const pages = [
  'README.md',
  ...readdirSync(join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

/** The lines of a Markdown text outside fenced code blocks. */
function prose(text: string): string[] {
  let fence: string | undefined;
  return text.split('\n').filter((line) => {
    const marker = /^\s*(```|~~~)/.exec(line)?.[1];
    if (marker && (fence === undefined || marker === fence)) {
      fence = fence === undefined ? marker : undefined;
      return false;
    }
    return fence === undefined;
  });
}

/** The anchors GitHub gives a page's headings: lower case, punctuation dropped, `-n` on repeats. */
function anchors(text: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const line of prose(text)) {
    const heading = /^#{1,6} (.*)$/.exec(line)?.[1];
    if (heading === undefined) continue;
    const slug = heading
      .toLowerCase()
      .replace(/[^\p{L}\p{N}_\- ]/gu, '')
      .replace(/ /g, '-');
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    out.add(n === 0 ? slug : `${slug}-${n}`);
  }
  return out;
}

/** Every link and image target in the prose (not in code), with the line it is on. */
function links(text: string): { target: string; line: string }[] {
  return prose(text).flatMap((line) =>
    [...line.replace(/`[^`]*`/g, '').matchAll(/\]\(([^)\s]+)\)/g)].map((m) => ({ target: m[1] ?? '', line })),
  );
}

describe('the docs', () => {
  it('README.md stays short: at most 200 lines', () => {
    expect(read('README.md').split('\n').length).toBeLessThanOrEqual(200);
  });

  it("README's quick start is what CI runs: npm start, and npm test", () => {
    const readme = read('README.md');
    expect(readme).toContain('npm install && npm start');
    expect(readme).toMatch(/^npm test +# /m);
    expect(read('.ci/run')).toMatch(/^npm test /m);
  });

  it('every relative link in README.md and docs/ reaches a file, and its anchor a heading', () => {
    const broken: string[] = [];
    for (const page of pages) {
      for (const { target, line } of links(read(page))) {
        if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue;
        const [path = '', anchor] = target.split('#');
        const file = path === '' ? join(root, page) : join(root, dirname(page), decodeURI(path));
        if (!existsSync(file)) {
          broken.push(`${page}: ${target} (no file ${relative(root, file)}) in: ${line}`);
          continue;
        }
        if (anchor && file.endsWith('.md') && !anchors(readFileSync(file, 'utf8')).has(anchor))
          broken.push(`${page}: ${target} (no heading #${anchor} in ${relative(root, file)})`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('finds a broken link and a broken anchor (the check above can fail)', () => {
    expect(links('see [x](nowhere.md#a) and `[y](z.md)`\n```\n[w](v.md)\n```')).toEqual([
      { target: 'nowhere.md#a', line: 'see [x](nowhere.md#a) and `[y](z.md)`' },
    ]);
    expect([...anchors('# A `b`: c\n## A `b`: c\n```\n# not a heading\n```')]).toEqual(['a-b-c', 'a-b-c-1']);
  });
});
