// The overview's chart (progressive: the page's table of daily figures reads without it): the table's clicks,
// conversions and revenue per UTC day, counts on the left axis and revenue on the right (charts/daily.ts).
import { drawDaily } from './charts/daily.ts';

function start(): void {
  const figure = document.getElementById('overview-chart');
  const table = document.getElementById('overview-daily');
  if (!figure || !table) return;
  // The table rows' raw figures (data-* attributes written by pages/overview.ts).
  drawDaily(figure, table, [
    { label: 'Clicks', scale: 'count', stroke: '#0b57d0', of: (row) => Number(row.dataset.clicks) },
    { label: 'Conversions', scale: 'count', stroke: '#126b2e', dash: [6, 3], of: (row) => Number(row.dataset.conversions) },
    { label: 'Revenue, net', scale: 'money', stroke: '#8a4b00', dash: [2, 2], of: (row) => Number(row.dataset.revenue) / 100 },
  ]);
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
