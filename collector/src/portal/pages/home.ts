// /portal: the advocate's referral link (with its QR code, drawn on the server, and a Copy button), their figures
// exactly as GET /api/v1/advocates/:id answers them, and the last 30 days beside the 30 before with a chart per day
// (client/portalHome.ts draws it from the page's table, which screen readers and browsers without scripts read),
// all for the session's brand and advocate only.
import { Router } from 'express';
import type { AppDeps } from '../../app.ts';
import { html, type SafeHtml } from '../../dashboard/html.ts';
import { count, day, money, percent } from '../../dashboard/format.ts';
import { table } from '../../dashboard/ui.ts';
import { change } from '../../dashboard/pages/overview.ts';
import { getAdvocate } from '../../services/advocates.ts';
import { referralLink } from '../../services/portal.ts';
import { portalFigures, PORTAL_FIGURE_DAYS, type PortalFigures } from '../../services/portalFigures.ts';
import { portalLayout } from '../layout.ts';
import { qrSvg } from '../qr.ts';
import { advocateOf } from '../session.ts';

const moneyOf = (amount: number | string, currency: string): string =>
  new Intl.NumberFormat('en-US', { style: 'currency', currency }).format(Number(amount));

/** The link to share: as text to copy (the button, shown by the page's script, copies it) and as a QR code (when it is a
 * link: a brand without allowed origins gives the code alone). */
function linkCard(link: string, code: string): SafeHtml {
  return html`<section aria-labelledby="link-h" class="card">
<h2 id="link-h">Your referral link</h2>
<p><label for="link">Share it: whoever buys through it is counted as yours.</label></p>
<p><input id="link" class="link" size="60" readonly value="${link}"> <button type="button" data-copy-input="link" hidden>Copy</button></p>
<p class="muted">Your code: <code>${code}</code></p>
${/^https?:\/\//.test(link) ? html`<figure class="qr-code">
${qrSvg(link, `QR code of your referral link, ${link}`)}
<figcaption>Scan it with a phone's camera to open your link.</figcaption>
</figure>` : ''}
</section>`;
}

function periodFigures(f: PortalFigures, currency: string): SafeHtml {
  const cash = (n: number) => money(n, currency);
  const line = (label: string, key: 'clicks' | 'conversions' | 'earnedCents', show: (n: number) => string) => html`<tr data-period="${label}">
<th scope="row">${label}</th><td class="num" data-current="${f.current[key]}">${show(f.current[key])}</td>
<td class="num" data-previous="${f.previous[key]}">${show(f.previous[key])}</td><td class="num">${change({ current: f.current[key], previous: f.previous[key] })}</td></tr>`;
  return html`<section aria-labelledby="period-h">
<h2 id="period-h">The last ${PORTAL_FIGURE_DAYS} days</h2>
<p class="note">${day(f.current.from)} to ${day(f.current.to)}, beside the ${PORTAL_FIGURE_DAYS} days before (${day(f.previous.from)} to
${day(f.previous.to)}). Days are UTC days; earnings are your cash commissions of those days, less what was clawed back
(a rejected one counts nothing).</p>
${table(`Your clicks, conversions and earnings: the last ${PORTAL_FIGURE_DAYS} days and the ${PORTAL_FIGURE_DAYS} before`,
    html`<tr><th scope="col">Figure</th><th scope="col" class="num">Last ${PORTAL_FIGURE_DAYS} days</th>
<th scope="col" class="num">Previous ${PORTAL_FIGURE_DAYS} days</th><th scope="col" class="num">Change</th></tr>`,
    [line('Clicks', 'clicks', count), line('Conversions', 'conversions', count), line('Earnings', 'earnedCents', cash)])}
<h3 id="daily-h">Per day</h3>
<figure class="card chart" id="portal-chart" data-currency="${currency}" hidden aria-label="Clicks, conversions and earnings per day (the table below holds the same figures)"></figure>
<div id="portal-daily">${table(`Your clicks, conversions and earnings per UTC day, the last ${PORTAL_FIGURE_DAYS} days`,
    html`<tr><th scope="col">Day (UTC)</th><th scope="col" class="num">Clicks</th><th scope="col" class="num">Conversions</th>
<th scope="col" class="num">Earnings</th></tr>`,
    f.days.map((d) => html`<tr data-day="${d.day}" data-clicks="${d.clicks}" data-conversions="${d.conversions}" data-earned="${d.earnedCents}">
<th scope="row">${day(d.day)}</th><td class="num">${count(d.clicks)}</td><td class="num">${count(d.conversions)}</td><td class="num">${cash(d.earnedCents)}</td></tr>`))}</div>
</section>`;
}

export function homeRoutes(deps: AppDeps): Router {
  const r = Router();
  r.get('/', async (_req, res) => {
    const viewer = advocateOf(res);
    const ctx = { q: deps.rq, brand: viewer.brand, now: deps.now() };
    const [a, period] = await Promise.all([getAdvocate(ctx, viewer.advocate.id), portalFigures(ctx, viewer.advocate.id)]);
    const link = a.referral_code ? referralLink(viewer.brand, a.referral_code) : null;
    const figures: Array<[string, string]> = [
      ['Clicks', count(a.click_count)],
      ['Conversions', count(a.conversion_count)],
      ['Conversion rate', percent(a.conversion_count, a.click_count)],
      ['Earned in all', moneyOf(a.total_earnings, a.currency)],
      ['Pending', moneyOf(a.pending_earnings, a.currency)],
      ['Approved, to be paid', moneyOf(a.approved_earnings, a.currency)],
      ['Paid to you', moneyOf(a.paid_earnings, a.currency)],
      ['Points', count(a.points_balance)],
    ];
    const body = html`${link && a.referral_code ? linkCard(link, a.referral_code)
      : html`<p class="note" role="note">You have no active referral code yet: the shop will give you one.</p>`}
<section aria-labelledby="figures-h">
<h2 id="figures-h">Your figures</h2>
<dl class="figures">${figures.map(([label, value]) => html`<div><dt>${label}</dt><dd data-figure="${label}">${value}</dd></div>`)}</dl>
</section>
${periodFigures(period, viewer.brand.currency)}`;
    res.type('html').send(portalLayout({ title: `Hello, ${a.name}`, nav: 'home', body, scripts: ['portalHome.js'], styles: ['uplot.css'] }, viewer).value);
  });
  return r;
}
