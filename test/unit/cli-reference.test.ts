import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cliReference, REFERENCE_PAGE, withReference } from '../../cli/reference.ts';
import { commandPath, walk } from '../../cli/src/lib/command.ts';
import { buildProgram } from '../../cli/src/main.ts';

describe('the CLI reference in docs/cli.md', () => {
  const page = readFileSync(REFERENCE_PAGE, 'utf8');

  it('is every command’s help as the CLI prints it (run `npm run docs:cli` after changing a command)', () => {
    expect(page).toBe(withReference(page, cliReference()));
  });

  it('has a section for every command', () => {
    const headings = new Set(page.split('\n').filter((line) => line.startsWith('### `latchkey')));
    walk(buildProgram({} as never), (command) => {
      const name = ['latchkey', commandPath(command)].filter(Boolean).join(' ');
      expect(headings.has(`### \`${name}\``), name).toBe(true);
    });
  });

  it('keeps the page around the reference as it is', () => {
    const edited = withReference(page, 'nothing');
    expect(edited.startsWith(page.slice(0, page.indexOf('<!-- generated')))).toBe(true);
    expect(edited).toContain('\n\nnothing\n\n<!-- end of the generated reference -->');
    expect(() => withReference('no markers', 'x')).toThrow(/lost its markers/);
  });
});
