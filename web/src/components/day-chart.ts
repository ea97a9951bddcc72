import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

/** A UTC day, as the charts label it. */
export const dayFormat = new Intl.DateTimeFormat(undefined, {
  month: 'short',
  day: 'numeric',
  timeZone: 'UTC',
});

/** Seconds since the epoch of each `YYYY-MM-DD` day: the charts' x values. */
export const dayXs = (days: readonly { date: string }[]) =>
  days.map((d) => Date.parse(`${d.date}T00:00:00Z`) / 1000);

const TODAY = '#1d4ed8';

/** A dashed line at `x` (the last day: today, UTC) across the plot, labelled "Today". */
function todayMark(x: number): uPlot.Plugin {
  return {
    hooks: {
      draw: (u) => {
        const { ctx, bbox } = u;
        const left = Math.round(u.valToPos(x, 'x', true)) + 0.5;
        ctx.save();
        ctx.strokeStyle = TODAY;
        ctx.fillStyle = TODAY;
        ctx.lineWidth = uPlot.pxRatio;
        ctx.setLineDash([4 * uPlot.pxRatio, 3 * uPlot.pxRatio]);
        ctx.beginPath();
        ctx.moveTo(left, bbox.top);
        ctx.lineTo(left, bbox.top + bbox.height);
        ctx.stroke();
        ctx.font = `${12 * uPlot.pxRatio}px system-ui, sans-serif`;
        ctx.textAlign = 'right';
        ctx.textBaseline = 'top';
        ctx.fillText('Today', left - 4 * uPlot.pxRatio, bbox.top + 2 * uPlot.pxRatio);
        ctx.restore();
      },
    },
  };
}

/**
 * A uPlot chart of requests per UTC day in `el`, at its width (at least 280 px), resized with it:
 * the axes, the y range from 0, the day series, a mark for today (the last day) and the
 * non-interactive cursor every chart here shares. uPlot styles its elements through the CSSOM,
 * which the strict `style-src 'self'` allows. Returns the cleanup for the effect that made it.
 */
export function mountDayChart(
  el: HTMLElement,
  data: uPlot.AlignedData,
  chart: { height: number; ySize: number; xRange?: uPlot.Scale['range']; series: uPlot.Series[] },
): () => void {
  const today = data[0].at(-1);
  const width = () => Math.max(280, el.clientWidth);
  const plot = new uPlot(
    {
      width: width(),
      height: chart.height,
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
      scales: {
        x: { time: true, ...(chart.xRange ? { range: chart.xRange } : {}) },
        y: { range: (_u, _min, max) => [0, Math.max(4, Math.ceil(max * 1.15))] },
      },
      axes: [
        {
          values: (_u, splits) => splits.map((s) => dayFormat.format(new Date(s * 1000))),
          stroke: '#4b5563',
          grid: { stroke: '#e5e7eb' },
          ticks: { stroke: '#e5e7eb' },
        },
        { stroke: '#4b5563', grid: { stroke: '#e5e7eb' }, ticks: { stroke: '#e5e7eb' }, size: chart.ySize },
      ],
      series: [
        { label: 'Day', value: (_u, v) => (v == null ? '—' : dayFormat.format(new Date(v * 1000))) },
        ...chart.series,
      ],
      cursor: { drag: { x: false, y: false } },
      legend: { live: false },
      plugins: today === undefined ? [] : [todayMark(today)],
    },
    data,
    el,
  );
  const resize = new ResizeObserver(() => plot.setSize({ width: width(), height: chart.height }));
  resize.observe(el);
  return () => {
    resize.disconnect();
    plot.destroy();
  };
}
