// The portal home's script (progressive: the page reads without it): the Copy button of the referral link, and the
// chart of the page's per-day table (clicks and conversions on the left axis, earnings on the right: charts/daily.ts,
// as the dashboard overview's).
import { drawDaily } from './charts/daily.ts';

/** <button data-copy-input="id">: copies that input's value (selected as well, for a browser without the clipboard API). */
function copyInputs(): void {
  for (const button of document.querySelectorAll<HTMLButtonElement>('button[data-copy-input]')) {
    const source = document.getElementById(button.dataset.copyInput ?? '');
    if (!(source instanceof HTMLInputElement)) continue;
    button.hidden = false;
    const label = button.textContent;
    button.addEventListener('click', () => {
      source.select();
      const done = () => {
        button.textContent = 'Copied';
        setTimeout(() => { button.textContent = label; }, 1500);
      };
      if (navigator.clipboard) void navigator.clipboard.writeText(source.value).then(done, () => undefined);
      else if (document.execCommand('copy')) done();
    });
  }
}

function start(): void {
  copyInputs();
  const figure = document.getElementById('portal-chart');
  const table = document.getElementById('portal-daily');
  if (!figure || !table) return;
  drawDaily(figure, table, [
    { label: 'Clicks', scale: 'count', stroke: '#0b57d0', of: (row) => Number(row.dataset.clicks) },
    { label: 'Conversions', scale: 'count', stroke: '#126b2e', dash: [6, 3], of: (row) => Number(row.dataset.conversions) },
    { label: 'Earnings', scale: 'money', stroke: '#8a4b00', dash: [2, 2], of: (row) => Number(row.dataset.earned) / 100 },
  ], 240);
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
