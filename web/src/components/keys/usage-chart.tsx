import type { KeyUsage } from '@latchkey/client/types';
import { useEffect, useId, useMemo, useRef } from 'react';
import uPlot from 'uplot';
import { dayXs, mountDayChart } from '../day-chart.ts';
import { CODE_COLORS, refusalCodes } from './refusal-codes.ts';

const ALLOWED = '#15803d';

/**
 * Requests per day over the last 30 days, as uPlot bars: allowed beside refused, the refused bar
 * stacked by refusal code (each code's bar drawn from the running total down, so the codes sit on
 * one another). uPlot styles its elements through the CSSOM (element.style), which the page's
 * `style-src 'self'` allows. The same numbers are in a table below for screen readers and for
 * copying.
 */
export function UsageChart({ usage }: { usage: KeyUsage }) {
  const box = useRef<HTMLDivElement>(null);
  const summaryId = useId();
  const codes = useMemo(() => refusalCodes(usage.total.refusals), [usage]);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const bars = uPlot.paths.bars;
    // A day without requests draws no bar at all (a 0 would draw a dash of the bar's outline).
    const bar = (n: number) => (n === 0 ? null : n);
    // The running total of each day's refusals, code by code: the top of that code's segment.
    const stacked = codes.map((_, i) =>
      usage.days.map((d) => bar(codes.slice(0, i + 1).reduce((sum, c) => sum + (d.refusals[c] ?? 0), 0))),
    );
    const refusalSeries = codes.map((code, i) => ({
      label: code,
      stroke: CODE_COLORS[i % CODE_COLORS.length] as string,
      fill: `${CODE_COLORS[i % CODE_COLORS.length]}dd`,
      paths: bars ? bars({ size: [0.4, 24], align: 1 }) : undefined,
      points: { show: false },
    }));
    const data: uPlot.AlignedData = [
      dayXs(usage.days),
      usage.days.map((d) => bar(d.allowed)),
      // Tallest first, so each code's segment is drawn over the ones above it.
      ...[...stacked].reverse(),
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
        ...[...refusalSeries].reverse(),
      ],
    });
  }, [usage, codes]);
  const busiest = usage.days.reduce(
    (best, d) => (d.allowed + d.refused > best.allowed + best.refused ? d : best),
    usage.days[0] ?? { date: '', allowed: 0, refused: 0 },
  );
  const refusedBy = codes.map((c) => `${usage.total.refusals[c]} ${c}`).join(', ');
  return (
    <figure className="chart">
      <div
        ref={box}
        className="chart-canvas"
        role="img"
        aria-label={`Requests per day over the last ${usage.days.length} days: ${usage.total.allowed} allowed, ${usage.total.refused} refused${refusedBy ? ` (${refusedBy})` : ''}.`}
        aria-describedby={summaryId}
      />
      <figcaption id={summaryId} className="muted small">
        {busiest.allowed + busiest.refused > 0
          ? `Busiest day: ${busiest.date} (${busiest.allowed} allowed, ${busiest.refused} refused). Refused requests are stacked by refusal code. Days are UTC; the dashed line is today.`
          : 'No requests in this period. Days are UTC.'}
      </figcaption>
      <details>
        <summary>Show the numbers</summary>
        <div className="table-scroll">
          <table className="table table-compact">
            <caption className="visually-hidden">Requests per day, refusals by code</caption>
            <thead>
              <tr>
                <th scope="col">Day (UTC)</th>
                <th scope="col">Allowed</th>
                <th scope="col">Refused</th>
                {codes.map((c) => (
                  <th scope="col" key={c}>
                    {c}
                  </th>
                ))}
                <th scope="col">Latency p50 (ms)</th>
                <th scope="col">Latency p99 (ms)</th>
              </tr>
            </thead>
            <tbody>
              {usage.days.map((d) => (
                <tr key={d.date}>
                  <th scope="row">{d.date}</th>
                  <td>{d.allowed}</td>
                  <td>{d.refused}</td>
                  {codes.map((c) => (
                    <td key={c}>{d.refusals[c] ?? 0}</td>
                  ))}
                  <td>{d.latencyMs?.p50 ?? '—'}</td>
                  <td>{d.latencyMs?.p99 ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
