import { useEffect, useId, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { Usage } from '../../api/types.ts';

const ALLOWED = '#15803d';
const REFUSED = '#b91c1c';
const dayFormat = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });

/**
 * Requests per day, allowed and refused, over the last 30 days, as uPlot bars. uPlot styles its
 * elements through the CSSOM (element.style), which the page's `style-src 'self'` allows. The
 * same numbers are in a table below for screen readers and for copying.
 */
export function UsageChart({ usage }: { usage: Usage }) {
  const box = useRef<HTMLDivElement>(null);
  const summaryId = useId();
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const xs = usage.days.map((d) => Date.parse(`${d.date}T00:00:00Z`) / 1000);
    const data: uPlot.AlignedData = [xs, usage.days.map((d) => d.allowed), usage.days.map((d) => d.refused)];
    const bars = uPlot.paths.bars;
    const options: uPlot.Options = {
      width: Math.max(280, el.clientWidth),
      height: 260,
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
      scales: {
        // Half a day either side, so the first and last days' bars are drawn whole.
        x: { time: true, range: (_u, min, max) => [min - 43_200, max + 43_200] },
        y: { range: (_u, _min, max) => [0, Math.max(4, Math.ceil(max * 1.15))] },
      },
      axes: [
        {
          values: (_u, splits) => splits.map((s) => dayFormat.format(new Date(s * 1000))),
          stroke: '#4b5563',
          grid: { stroke: '#e5e7eb' },
          ticks: { stroke: '#e5e7eb' },
        },
        { stroke: '#4b5563', grid: { stroke: '#e5e7eb' }, ticks: { stroke: '#e5e7eb' }, size: 48 },
      ],
      series: [
        { label: 'Day', value: (_u, v) => (v == null ? '—' : dayFormat.format(new Date(v * 1000))) },
        {
          label: 'Allowed',
          stroke: ALLOWED,
          fill: `${ALLOWED}cc`,
          paths: bars ? bars({ size: [0.4, 24], align: -1 }) : undefined,
          points: { show: false },
        },
        {
          label: 'Refused',
          stroke: REFUSED,
          fill: `${REFUSED}cc`,
          paths: bars ? bars({ size: [0.4, 24], align: 1 }) : undefined,
          points: { show: false },
        },
      ],
      cursor: { drag: { x: false, y: false } },
      legend: { live: false },
    };
    const chart = new uPlot(options, data, el);
    const resize = new ResizeObserver(() =>
      chart.setSize({ width: Math.max(280, el.clientWidth), height: 260 }),
    );
    resize.observe(el);
    return () => {
      resize.disconnect();
      chart.destroy();
    };
  }, [usage]);
  const busiest = usage.days.reduce(
    (best, d) => (d.allowed + d.refused > best.allowed + best.refused ? d : best),
    {
      date: '',
      allowed: 0,
      refused: 0,
    },
  );
  return (
    <figure className="chart">
      <div
        ref={box}
        className="chart-canvas"
        role="img"
        aria-label={`Requests per day over the last ${usage.days.length} days: ${usage.total.allowed} allowed, ${usage.total.refused} refused.`}
        aria-describedby={summaryId}
      />
      <figcaption id={summaryId} className="muted small">
        {busiest.date
          ? `Busiest day: ${busiest.date} (${busiest.allowed} allowed, ${busiest.refused} refused). Days are UTC.`
          : 'No requests in this period. Days are UTC.'}
      </figcaption>
      <details>
        <summary>Show the numbers</summary>
        <div className="table-scroll">
          <table className="table table-compact">
            <caption className="visually-hidden">Requests per day</caption>
            <thead>
              <tr>
                <th scope="col">Day (UTC)</th>
                <th scope="col">Allowed</th>
                <th scope="col">Refused</th>
              </tr>
            </thead>
            <tbody>
              {usage.days.map((d) => (
                <tr key={d.date}>
                  <th scope="row">{d.date}</th>
                  <td>{d.allowed}</td>
                  <td>{d.refused}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
