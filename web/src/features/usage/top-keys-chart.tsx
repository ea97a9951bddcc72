import type { UsageDay, UsageOverviewItem } from '@latchkey/client/types';
import { useEffect, useId, useRef } from 'react';
import { dayXs, mountDayChart } from '../../components/day-chart.ts';

/** Distinct on white and for the common colour-vision deficiencies (Okabe–Ito). */
const COLOURS = ['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#e69f00'];
const requests = (d: Pick<UsageDay, 'allowed' | 'refused'>) => d.allowed + d.refused;

/**
 * Requests per day of the most active keys (allowed + refused), one line each, over the window.
 * Same uPlot set-up as the key page's chart: CSSOM styles only, so the strict CSP holds.
 */
export function TopKeysChart({ items }: { items: UsageOverviewItem[] }) {
  const box = useRef<HTMLDivElement>(null);
  const summaryId = useId();
  useEffect(() => {
    const el = box.current;
    const first = items[0];
    if (!el || !first) return;
    const xs = dayXs(first.days);
    return mountDayChart(el, [xs, ...items.map((item) => item.days.map(requests))], {
      height: 280,
      ySize: 56,
      series: items.map((item, i) => ({
        label: item.name,
        stroke: COLOURS[i % COLOURS.length],
        width: 2,
        points: { show: xs.length <= 7, size: 6 },
      })),
    });
  }, [items]);
  const names = items.map((item) => `${item.name} (${requests(item.total)})`).join(', ');
  return (
    <figure className="chart">
      <div
        ref={box}
        className="chart-canvas"
        role="img"
        aria-label={`Requests per day of the ${items.length} most active keys: ${names}.`}
        aria-describedby={summaryId}
      />
      <figcaption id={summaryId} className="muted small">
        The {items.length} most active {items.length === 1 ? 'key' : 'keys'}, allowed and refused requests
        together. Days are UTC; the table below has every key's numbers.
      </figcaption>
    </figure>
  );
}
