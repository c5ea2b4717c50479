// /portal: the advocate's referral link and figures, exactly as GET /api/v1/advocates/:id answers them for this
// advocate (services/advocates.ts getAdvocate), read for the session's brand and advocate only.
import { Router } from 'express';
import type { AppDeps } from '../../app.ts';
import { html } from '../../dashboard/html.ts';
import { count, percent } from '../../dashboard/format.ts';
import { getAdvocate } from '../../services/advocates.ts';
import { referralLink } from '../../services/portal.ts';
import { portalLayout } from '../layout.ts';
import { advocateOf } from '../session.ts';

const moneyOf = (amount: number | string, currency: string): string =>
  new Intl.NumberFormat('en-US', { style: 'currency', currency }).format(Number(amount));

export function homeRoutes(deps: AppDeps): Router {
  const r = Router();
  r.get('/', async (_req, res) => {
    const viewer = advocateOf(res);
    const a = await getAdvocate({ q: deps.rq, brand: viewer.brand, now: deps.now() }, viewer.advocate.id);
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
    const body = html`${link ? html`<section aria-labelledby="link-h" class="card">
<h2 id="link-h">Your referral link</h2>
<p><label for="link">Share it: whoever buys through it is counted as yours.</label></p>
<p><input id="link" class="link" readonly value="${link}"></p>
<p class="muted">Your code: <code>${a.referral_code}</code></p>
</section>` : html`<p class="note" role="note">You have no active referral code yet: the shop will give you one.</p>`}
<section aria-labelledby="figures-h">
<h2 id="figures-h">Your figures</h2>
<dl class="figures">${figures.map(([label, value]) => html`<div><dt>${label}</dt><dd data-figure="${label}">${value}</dd></div>`)}</dl>
</section>`;
    res.type('html').send(portalLayout({ title: `Hello, ${a.name}`, nav: 'home', body }, viewer).value);
  });
  return r;
}
