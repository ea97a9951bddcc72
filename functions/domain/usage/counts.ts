/** Counts by name, both sides added up: a name on one side only keeps its count. */
export function addCounts(
  a: Readonly<Record<string, number>>,
  b: Readonly<Record<string, number>>,
): Record<string, number> {
  const out = new Map<string, number>(Object.entries(a));
  for (const [name, count] of Object.entries(b)) out.set(name, (out.get(name) ?? 0) + count);
  return Object.fromEntries(out);
}
