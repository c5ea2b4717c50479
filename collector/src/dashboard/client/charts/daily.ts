// A chart of figures per UTC day (uPlot), shared by the dashboard's overview and the portal's home: counts on the left
// axis, money on the right, drawn into a <figure> from the rows of the page's table (which stays the accessible copy).
import uPlot from 'uplot';

const DAY_S = 86_400;

export interface DailySeries {
  label: string;
  scale: 'count' | 'money';
  stroke: string;
  dash?: number[];
  /** the figure of a table row (its data-* attributes), money in whole units */
  of: (row: HTMLTableRowElement) => number;
}

/** The table's rows (tr[data-day]) as a chart in `figure`, when they are two or more consecutive days. */
export function drawDaily(figure: HTMLElement, table: Element, series: DailySeries[], height = 260): void {
  const rows = [...table.querySelectorAll<HTMLTableRowElement>('tr[data-day]')];
  const days = rows.map((row) => Date.parse(`${row.dataset.day}T00:00:00Z`) / 1000);
  // One point draws no line: a single day stays a table.
  if (days.length < 2 || days.some((t, i) => i > 0 && t - days[i - 1]! !== DAY_S)) return;
  const currency = figure.dataset.currency ?? 'USD';
  const money = new Intl.NumberFormat(undefined, { style: 'currency', currency, maximumFractionDigits: 0 });
  // An axis of small amounts (steps under one unit) shows its cents: else $1, $1, $2, $2.
  const cents = new Intl.NumberFormat(undefined, { style: 'currency', currency });
  const whole = new Intl.NumberFormat(undefined);
  const dayLabel = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });
  // Shown before it is measured: a hidden figure is 0 px wide.
  figure.hidden = false;
  const width = () => Math.max(280, figure.clientWidth - 32);
  const fromZero: uPlot.Scale = { range: (_u, _min, max) => [0, Math.max(1, max)] };
  const opts: uPlot.Options = {
    width: width(),
    height,
    // The figures are per UTC day: the axis and the legend say UTC days, whatever the browser's time zone.
    tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
    scales: { x: { time: true }, count: fromZero, money: fromZero },
    axes: [
      { values: (_u, splits) => splits.map((s) => dayLabel.format(new Date(s * 1000))), space: 60 },
      { scale: 'count', values: (_u, splits) => splits.map((s) => whole.format(s)) },
      { scale: 'money', side: 1, grid: { show: false }, values: (_u, splits, _axis, _space, step) => splits.map((s) => (step < 1 ? cents : money).format(s)), size: 70 },
    ],
    series: [
      { label: 'Day (UTC)', value: (_u, v) => (v === null ? '' : dayLabel.format(new Date(v * 1000))) },
      ...series.map((s): uPlot.Series => ({
        label: s.label, scale: s.scale, stroke: s.stroke, width: 2, ...(s.dash ? { dash: s.dash } : {}),
        value: (_u, v) => (v === null ? '' : (s.scale === 'money' ? money : whole).format(v)),
      })),
    ],
  };
  const plot = new uPlot(opts, [days, ...series.map((s) => rows.map(s.of))], figure);
  let pending = 0;
  window.addEventListener('resize', () => {
    cancelAnimationFrame(pending);
    pending = requestAnimationFrame(() => plot.setSize({ width: width(), height }));
  });
}
