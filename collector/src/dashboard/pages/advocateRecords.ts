// /dashboard/advocates/:id/records: an advocate's referral records (GET /referral-records?advocate_id=,
// services/referralRecords.ts), a tab of their page: one record per commission, saying whom the advocate referred, for
// which action, at which level, with which reward and incentive; 10 a page by the API's cursor. A page of its own, so
// that the advocate's page reads nothing more than its own sections (and shows each commission once).
import { ACTION_NAMES } from '../../domain/actions.ts';
import { listPage, pageOf, parseQuery, pathId, zPagination } from '../../http/query.ts';
import { getAdvocate } from '../../services/advocates.ts';
import { z } from 'zod';
import { zReferralRecordListQuery } from '../../schemas/referralRecords.ts';
import { recordPage, type ReferralRecordView } from '../../services/referralRecords.ts';
import { count, when } from '../format.ts';
import { html, type SafeHtml } from '../html.ts';
import type { PageCtx } from '../page.ts';
import type { Page } from '../layout.ts';
import { DASHBOARD_PATH } from '../session.ts';
import { badge, pager, table } from '../ui.ts';
import { ADVOCATES_PATH, moneyOf, queryValues } from './advocates.ts';
import { campaignPath } from './campaignParts.ts';

const RECORDS_PER_PAGE = 10;

/** The referred customer: the advocate they became (linked), else their email; none once erased. */
function referred(r: ReferralRecordView): SafeHtml {
  const who = r.referred_customer;
  if (!who) return html`<span class="muted">—</span>`;
  if (who.advocate_id !== null) return html`<a href="${ADVOCATES_PATH}/${who.advocate_id}">${who.email ?? `advocate ${who.advocate_id}`}</a>`;
  return html`${who.email ?? html`<span class="muted">erased</span>`}`;
}

/** The order of a purchase: its conversion's page when the collector has it, else the order id entered. */
function order(r: ReferralRecordView): SafeHtml {
  if (!r.order) return html`<span class="muted">—</span>`;
  const { conversion_id: id, order_id: orderId } = r.order;
  return id !== null ? html`<a href="${DASHBOARD_PATH}/conversions/${id}">${orderId ?? `conversion ${id}`}</a>` : html`${orderId ?? '—'}`;
}

const rewardText = (p: PageCtx, r: ReferralRecordView): string =>
  r.reward_type === 'commission' ? moneyOf(p, r.reward_earned) : `${count(r.reward_earned)} points`;

function incentive(p: PageCtx, r: ReferralRecordView): SafeHtml {
  if (r.incentive_amount === null && r.incentive_used === null) return html`<span class="muted">none</span>`;
  return html`${r.incentive_amount === null ? '' : moneyOf(p, r.incentive_amount)}${r.incentive_used ? html` <span class="muted">(${r.incentive_type ?? 'code'} ${r.incentive_used})</span>` : ''}`;
}

/** The page's own paging: the API's cursor. */
const zRecordsPageQuery = z.object({ cursor: zPagination.cursor });

export const advocateRecordsPath = (advocateId: number) => `${ADVOCATES_PATH}/${advocateId}/records`;

export async function advocateRecordsPage(p: PageCtx): Promise<Page> {
  const ctx = { q: p.q, brand: p.brand, now: p.now };
  const a = await getAdvocate(ctx, pathId(p.req.params.id, 'advocate'));
  const { data: page } = parseQuery(zRecordsPageQuery, p.req.query);
  const cursor = page.cursor;
  const { data: query } = parseQuery(zReferralRecordListQuery, { advocate_id: String(a.id), limit: String(RECORDS_PER_PAGE) });
  // The API's list for the same advocate, after the record `cursor` (already decoded by the page's query schema): a
  // page may stop early on a bounded walk (has_more, next_cursor).
  const list = await listPage('referral_records', { ...pageOf(query), before: cursor ?? null }, (slice) => recordPage(ctx, query, slice));
  const records = list.referral_records as ReferralRecordView[];
  // Campaigns by name: a brand has at most MAX_CAMPAIGNS (db/campaigns.ts), read once for the page.
  const names = new Map(records.length ? (await p.q.campaigns.list(p.brand.id)).map((c) => [c.id, c.name]) : []);
  const rows = records.map((r) => html`<tr>
<td>${when(r.referral_date)}</td>
<td>${ACTION_NAMES[r.reward_action_type]}${r.qualified_amount === null ? '' : html` <span class="muted">(${count(r.qualified_amount)})</span>`}${r.entered ? html`<br><span class="muted">entered</span>` : ''}</td>
<td>${r.level}</td>
<td>${referred(r)}</td>
<td>${order(r)}</td>
<td><a href="${campaignPath(r.campaign_id)}">${names.get(r.campaign_id) ?? `campaign ${r.campaign_id}`}</a></td>
<td class="num"><a href="${DASHBOARD_PATH}/commissions/${r.commission_id}">${rewardText(p, r)}</a></td>
<td>${badge(r.status)}${r.status === 'pending' ? html`<br><span class="muted">until ${when(r.cooling_period_end)}</span>` : ''}</td>
<td>${incentive(p, r)}</td>
<td><code>${r.uuid}</code></td>
</tr>`);
  const head = html`<tr><th scope="col">Date</th><th scope="col">Action</th><th scope="col">Level</th><th scope="col">Referred customer</th>
<th scope="col">Order</th><th scope="col">Campaign</th><th scope="col" class="num">Reward</th><th scope="col">Status</th>
<th scope="col">Customer's incentive</th><th scope="col">Record</th></tr>`;
  const partial = records.length < RECORDS_PER_PAGE && list.next_cursor !== null;
  const body = html`<p><a href="${ADVOCATES_PATH}/${a.id}">Back to ${a.name}</a></p>
<section aria-labelledby="records-h"><h2 id="records-h">Referral records</h2>
<p class="muted">One record per commission of ${a.name}: whom they referred, for what, and what it earned (as <code>GET /api/v1/referral-records?advocate_id=${a.id}</code> answers).</p>
${table('Referral records, newest first', head, rows, partial ? 'None in this stretch: look further with "Older".' : 'No referral record yet.')}
${pager(advocateRecordsPath(a.id), queryValues(p.req), list.next_cursor, cursor === undefined, { param: 'cursor', label: 'Referral record pages' })}
</section>`;
  return { title: `${a.name}: referral records`, nav: 'advocates', body };
}
