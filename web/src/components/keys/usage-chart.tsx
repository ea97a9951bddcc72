import type { KeyUsage } from '@latchkey/client/types';
import { useEffect, useId, useRef } from 'react';
import uPlot from 'uplot';
import { dayXs, mountDayChart } from '../day-chart.ts';

const ALLOWED = '#15803d';
const REFUSED = '#b91c1c';

/**
 * Requests per day, allowed and refused, over the last 30 days, as uPlot bars. uPlot styles its
 * elements through the CSSOM (element.style), which the page's `style-src 'self'` allows. The
 * same numbers are in a table below for screen readers and for copying.
 */
export function UsageChart({ usage }: { usage: KeyUsage }) {
  const box = useRef<HTMLDivElement>(null);
  const summaryId = useId();
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const bars = uPlot.paths.bars;
    // A day without requests draws no bar at all (a 0 would draw a dash of the bar's outline).
    const bar = (n: number) => (n === 0 ? null : n);
    const data: uPlot.AlignedData = [
      dayXs(usage.days),
      usage.days.map((d) => bar(d.allowed)),
      usage.days.map((d) => bar(d.refused)),
    ];
    return mountDayChart(el, data, {
      height: 260,
      ySize: 48,
      // Half a day either side, so the first and last days' bars are drawn whole.
      xRange: (_u, min, max) => [min - 43_200, max + 43_200],
      series: [
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
    });
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
          ? `Busiest day: ${busiest.date} (${busiest.allowed} allowed, ${busiest.refused} refused). Days are UTC; the dashed line is today.`
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
