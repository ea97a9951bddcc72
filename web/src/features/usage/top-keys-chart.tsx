import { useEffect, useId, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { UsageDay, UsageOverviewItem } from '../../api/types.ts';

/** Distinct on white and for the common colour-vision deficiencies (Okabe–Ito). */
const COLOURS = ['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#e69f00'];
const dayFormat = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });
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
    const xs = first.days.map((d) => Date.parse(`${d.date}T00:00:00Z`) / 1000);
    const data: uPlot.AlignedData = [xs, ...items.map((item) => item.days.map(requests))];
    const options: uPlot.Options = {
      width: Math.max(280, el.clientWidth),
      height: 280,
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
      scales: {
        x: { time: true },
        y: { range: (_u, _min, max) => [0, Math.max(4, Math.ceil(max * 1.15))] },
      },
      axes: [
        {
          values: (_u, splits) => splits.map((s) => dayFormat.format(new Date(s * 1000))),
          stroke: '#4b5563',
          grid: { stroke: '#e5e7eb' },
          ticks: { stroke: '#e5e7eb' },
        },
        { stroke: '#4b5563', grid: { stroke: '#e5e7eb' }, ticks: { stroke: '#e5e7eb' }, size: 56 },
      ],
      series: [
        { label: 'Day', value: (_u, v) => (v == null ? '—' : dayFormat.format(new Date(v * 1000))) },
        ...items.map((item, i) => ({
          label: item.name,
          stroke: COLOURS[i % COLOURS.length],
          width: 2,
          points: { show: xs.length <= 7, size: 6 },
        })),
      ],
      cursor: { drag: { x: false, y: false } },
      legend: { live: false },
    };
    const chart = new uPlot(options, data, el);
    const resize = new ResizeObserver(() =>
      chart.setSize({ width: Math.max(280, el.clientWidth), height: 280 }),
    );
    resize.observe(el);
    return () => {
      resize.disconnect();
      chart.destroy();
    };
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
