/** A figure measured over interleaved rounds: judged on its median, printed with its spread. */
export interface Spread {
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

export function spread(values: readonly number[]): Spread {
  return { median: median(values), min: Math.min(...values), max: Math.max(...values) };
}

/** The figures of a part run alone, as a table: each spread by its median and the range of its rounds. */
export function printFigures(figures: Readonly<Record<string, number | Spread>>): void {
  console.table(
    Object.entries(figures).map(([figure, d]) =>
      typeof d === 'number'
        ? { figure, value: d }
        : {
            figure,
            value: Number(d.median.toFixed(1)),
            'min–max of rounds': `${d.min.toFixed(1)}–${d.max.toFixed(1)}`,
          },
    ),
  );
}
