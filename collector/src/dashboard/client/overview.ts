// The overview's chart (progressive: the page's table of daily figures reads without it): uPlot draws the table's
// clicks, conversions and revenue per UTC day, counts on the left axis and revenue on the right.
import uPlot from 'uplot';

const DAY_S = 86_400;

interface Day { t: number; clicks: number; conversions: number; revenue: number }

/** The table rows' raw figures (data-* attributes written by pages/overview.ts). */
function readDays(table: Element): Day[] {
  return [...table.querySelectorAll<HTMLTableRowElement>('tr[data-day]')].map((row) => ({
    t: Date.parse(`${row.dataset.day}T00:00:00Z`) / 1000,
    clicks: Number(row.dataset.clicks),
    conversions: Number(row.dataset.conversions),
    revenue: Number(row.dataset.revenue) / 100,
  }));
}

function draw(figure: HTMLElement, days: Day[]): void {
  const money = new Intl.NumberFormat(undefined, { style: 'currency', currency: figure.dataset.currency ?? 'USD', maximumFractionDigits: 0 });
  const whole = new Intl.NumberFormat(undefined);
  const dayLabel = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });
  const width = () => Math.max(280, figure.clientWidth - 32);
  const opts: uPlot.Options = {
    width: width(),
    height: 260,
    // The figures are per UTC day: the axis and the legend say UTC days, whatever the browser's time zone.
    tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
    scales: { x: { time: true }, count: { range: (_u, _min, max) => [0, Math.max(1, max)] }, money: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
    axes: [
      { values: (_u, splits) => splits.map((s) => dayLabel.format(new Date(s * 1000))), space: 60 },
      { scale: 'count', values: (_u, splits) => splits.map((s) => whole.format(s)) },
      { scale: 'money', side: 1, grid: { show: false }, values: (_u, splits) => splits.map((s) => money.format(s)), size: 70 },
    ],
    series: [
      { label: 'Day (UTC)', value: (_u, v) => (v === null ? '' : dayLabel.format(new Date(v * 1000))) },
      { label: 'Clicks', scale: 'count', stroke: '#0b57d0', width: 2, value: (_u, v) => (v === null ? '' : whole.format(v)) },
      { label: 'Conversions', scale: 'count', stroke: '#126b2e', width: 2, dash: [6, 3], value: (_u, v) => (v === null ? '' : whole.format(v)) },
      { label: 'Revenue, net', scale: 'money', stroke: '#8a4b00', width: 2, dash: [2, 2], value: (_u, v) => (v === null ? '' : money.format(v)) },
    ],
  };
  const data: uPlot.AlignedData = [
    days.map((d) => d.t), days.map((d) => d.clicks), days.map((d) => d.conversions), days.map((d) => d.revenue),
  ];
  figure.hidden = false;
  const plot = new uPlot(opts, data, figure);
  let pending = 0;
  window.addEventListener('resize', () => {
    cancelAnimationFrame(pending);
    pending = requestAnimationFrame(() => plot.setSize({ width: width(), height: 260 }));
  });
}

function start(): void {
  const figure = document.getElementById('overview-chart');
  const table = document.getElementById('overview-daily');
  if (!figure || !table) return;
  const days = readDays(table);
  // One point draws no line: a single day stays a table.
  if (days.length < 2 || days.some((d, i) => i > 0 && d.t - days[i - 1]!.t !== DAY_S)) return;
  draw(figure, days);
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
