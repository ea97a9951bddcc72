/**
 * Refusal codes as the charts and lists show them: one colour each, in the order of how many
 * requests each refused (most first), so the same code keeps its colour across a page.
 */
export const CODE_COLORS = [
  '#b91c1c',
  '#c2410c',
  '#7c3aed',
  '#a16207',
  '#be185d',
  '#0e7490',
  '#4d7c0f',
  '#475569',
  '#1e3a8a',
  '#9f1239',
  '#854d0e',
] as const;

/** The codes that refused anything, most refusals first (ties by name). */
export const refusalCodes = (refusals: Readonly<Record<string, number>>): string[] =>
  Object.entries(refusals)
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([code]) => code);
