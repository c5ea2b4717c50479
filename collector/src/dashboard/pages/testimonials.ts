// /dashboard/testimonials: the moderation queue (the use cases of /api/v1/testimonials and `referloop testimonial`,
// services/testimonials.ts): the pending testimonials first (the default filter), or those of another status, by
// rating, newest first, 20 a page by cursor with the list's total as GET /testimonials?total=true answers it; each
// with its author (an advocate, linked, or a name and email), rating, text, product and date; an owner approves or
// rejects (PATCH /testimonials/:id's use case: becoming approved publishes testimonial.approved).
import { Router, type Request } from 'express';
import type { AppDeps } from '../../app.ts';
import { pageOf, parseQuery, pathId } from '../../http/query.ts';
import { TESTIMONIAL_STATUSES, zModerateTestimonialRequest, zTestimonialListQuery } from '../../schemas/testimonials.ts';
import { listTestimonials, moderateTestimonial, testimonialView, type TestimonialView } from '../../services/testimonials.ts';
import { when } from '../format.ts';
import { html, type SafeHtml } from '../html.ts';
import { csrfField, type Page } from '../layout.ts';
import { action, field, page, type FormProblem, type PageCtx } from '../page.ts';
import { DASHBOARD_PATH } from '../session.ts';
import { badge, pager, problemSummary, select, table } from '../ui.ts';
import { ADVOCATES_PATH, filteredList, isOwner, queryValues } from './advocates.ts';
import { backTo, keptQuery, matching, withBoundedTotal } from './listReturn.ts';

export const TESTIMONIALS_PATH = `${DASHBOARD_PATH}/testimonials`;
const PER_PAGE = 20;
/** The filter's value for every status (no `status` at all is the queue: pending). */
const ALL = 'all';
/** The list's query parameters a moderation's redirect brings back (the page it was pressed on). */
const KEPT = ['status', 'rating', 'cursor'] as const;

/** The query string as GET /testimonials takes it: the queue (pending) unless a status, or `all`, is asked. */
function listQuery(values: Record<string, string | undefined>): Record<string, string> {
  const { status = 'pending', rating, cursor } = values;
  return {
    limit: String(PER_PAGE),
    ...(status === ALL ? {} : { status }), ...(rating ? { rating } : {}), ...(cursor ? { cursor } : {}),
  };
}

/** The page of GET /api/v1/testimonials?total=true for the filters. */
async function readQueue(p: PageCtx, values: Record<string, string | undefined>) {
  const ctx = { q: p.q, brand: p.brand, now: p.now };
  const { data: query } = parseQuery(zTestimonialListQuery, listQuery(values));
  return withBoundedTotal((withTotal) =>
    listTestimonials(ctx, { status: query.status, rating: query.rating }, { ...pageOf(query), withTotal }, testimonialView));
}

const author = (t: TestimonialView): SafeHtml => (t.advocate_id !== null
  ? html`<a href="${ADVOCATES_PATH}/${t.advocate_id}">${t.name || `advocate ${t.advocate_id}`}</a><br><span class="muted">advocate ${t.advocate_id}</span>`
  : html`${t.name}<br><span class="muted">${t.email ?? ''}</span>`);

/** Approve and Reject (each where it would change something), the list's address kept for the redirect. */
function moderation(p: PageCtx, t: TestimonialView, back: string): SafeHtml {
  const button = (status: 'approved' | 'rejected', label: string, danger: boolean) => html`<form method="post" action="${TESTIMONIALS_PATH}/${t.id}/status" class="inline">
${csrfField(p.viewer)}<input type="hidden" name="status" value="${status}"><input type="hidden" name="back" value="${back}">
<button type="submit"${danger ? html` class="danger"` : ''}>${label}<span class="visually-hidden"> testimonial ${t.id} by ${t.name}</span></button></form>`;
  return html`${t.status === 'approved' ? '' : button('approved', 'Approve', false)}${t.status === 'rejected' ? '' : button('rejected', 'Reject', true)}`;
}

async function queuePage(p: PageCtx, refused?: FormProblem): Promise<Page> {
  const owner = isOwner(p);
  const values = queryValues(p.req);
  const { list, problem } = await filteredList(values, () => readQueue(p, values));
  const back = keptQuery(values, KEPT);
  const testimonials = (list?.testimonials ?? []) as TestimonialView[];
  const rows = testimonials.map((t) => html`<tr>
<td>${t.id}</td>
<td>${author(t)}</td>
<td class="num"><span aria-label="${t.rating} out of 5">${t.rating}/5</span></td>
<td>${t.text}</td>
<td>${t.product ?? html`<span class="muted">—</span>`}</td>
<td>${when(t.created_at)}</td>
<td>${badge(t.status)}${t.moderated_at ? html`<br><span class="muted">${when(t.moderated_at)}</span>` : ''}</td>
${owner ? html`<td>${moderation(p, t, back)}</td>` : ''}
</tr>`);
  const head = html`<tr><th scope="col">Id</th><th scope="col">Author</th><th scope="col" class="num">Rating</th><th scope="col">Testimonial</th>
<th scope="col">Product</th><th scope="col">Submitted</th><th scope="col">Status</th>${owner ? html`<th scope="col"><span class="visually-hidden">Moderation</span></th>` : ''}</tr>`;
  const status = values.status ?? 'pending';
  const filters = html`<form class="card row" method="get" action="${TESTIMONIALS_PATH}" aria-label="Filter the testimonials">
${select({ name: 'status', label: 'Status', value: status, problem, options: [...TESTIMONIAL_STATUSES.map((s) => [s, s] as const), [ALL, 'all']] })}
${select({ name: 'rating', label: 'Rating', value: values.rating ?? '', problem, options: [['', 'any'], ...[5, 4, 3, 2, 1].map((n) => [String(n), `${n} out of 5`] as const)] })}
<div class="field"><button type="submit">Show</button></div>
</form>`;
  const which = status === ALL ? 'Testimonials' : `${status[0]!.toUpperCase()}${status.slice(1)} testimonials`;
  return {
    title: 'Testimonials',
    nav: 'testimonials',
    body: html`<p>What customers and advocates wrote about you, pending until moderated. An approved testimonial is what a site's
pages read with the publishable key (<code>GET /api/v1/testimonials/public</code>: without the author's email); approving one sends
the <code>testimonial.approved</code> webhook. An approved one can be withdrawn (rejected) later, a rejected one approved.
The same list as <code>GET /api/v1/testimonials</code> and <code>referloop testimonial list</code>.</p>
${owner ? '' : html`<p class="note" role="note">Your role is viewer: you see the testimonials, and only an owner of this brand can moderate them.</p>`}
${problemSummary(refused ?? problem)}
${filters}
${matching(list, 'testimonial', 'testimonials')}
${table(`${which}, newest first`, head, rows, problem ? 'Fix the filter above.' : 'No testimonial matches.')}
${list ? pager(TESTIMONIALS_PATH, values, list.next_cursor, values.cursor === undefined, { label: 'Testimonial pages' }) : ''}`,
    ...(problem ? { status: 400 } : {}),
  };
}

const testimonialIdOf = (req: Request): number => pathId(req.params.id, 'testimonial');

export function testimonialPageRoutes(deps: AppDeps): Router {
  const r = Router();
  r.get('/testimonials', page(deps, (p) => queuePage(p)));
  // Approve or reject: PATCH /testimonials/:id {status}'s schema and use case; back to the list as it was shown.
  r.post('/testimonials/:id/status', action(deps, zModerateTestimonialRequest, (form) => ({ status: field(form, 'status') }), async (ctx, data, req) => {
    const t = await moderateTestimonial(ctx, testimonialIdOf(req), data.status);
    const back = field(req.body ?? {}, 'back');
    return {
      redirect: backTo(TESTIMONIALS_PATH, KEPT, back),
      notice: t.status === 'approved'
        ? `Testimonial ${t.id} by ${t.name} is approved: the site's pages show it.`
        : `Testimonial ${t.id} by ${t.name} is rejected: the site's pages do not show it.`,
    };
  }, (p, problem) => queuePage(p, problem)));
  return r;
}
