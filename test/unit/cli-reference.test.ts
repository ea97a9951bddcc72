import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cliReference, REFERENCE_PAGE, withReference } from '../../cli/reference.ts';

describe('the CLI reference in docs/cli.md', () => {
  const page = readFileSync(REFERENCE_PAGE, 'utf8');

  it('is every command’s help as the CLI prints it (run `npm run docs:cli` after changing a command)', () => {
    expect(page).toBe(withReference(page, cliReference()));
  });

  it('has a section for commands at every depth, named as a user types them', () => {
    const headings = page.split('\n').filter((line) => line.startsWith('### `latchkey'));
    expect(headings).toEqual(
      expect.arrayContaining(
        [
          'latchkey',
          'latchkey doctor',
          'latchkey keys',
          'latchkey keys bulk revoke',
          'latchkey import apigateway',
        ].map((name) => `### \`${name}\``),
      ),
    );
  });

  it('keeps the page around the reference as it is', () => {
    const edited = withReference(page, 'nothing');
    expect(edited.startsWith(page.slice(0, page.indexOf('<!-- generated')))).toBe(true);
    expect(edited).toContain('\n\nnothing\n\n<!-- end of the generated reference -->');
    expect(() => withReference('no markers', 'x')).toThrow(/lost its markers/);
  });
});
