// /portal/testimonial: a form that submits a testimonial as the session's advocate (POST /api/v1/testimonials's schema
// and use case with advocate_id: pending until the shop moderates it, testimonial.created published), and the
// advocate's own testimonials with their status, newest first by cursor.
import { Router } from 'express';
import { z } from 'zod';
import type { AppDeps } from '../../app.ts';
import { pageOf, parseQuery, zPagination } from '../../http/query.ts';
import { zCreateTestimonialRequest } from '../../schemas/testimonials.ts';
import { listTestimonials, submitTestimonial, testimonialView, type TestimonialView } from '../../services/testimonials.ts';
import { when } from '../../dashboard/format.ts';
import { html } from '../../dashboard/html.ts';
import { field, optional, type FormProblem } from '../../dashboard/page.ts';
import { badge, input, pager, problemSummary, select, table, textarea } from '../../dashboard/ui.ts';
import { formIdField, oncePerForm, portalAction, portalPage, type PortalCtx } from '../forms.ts';
import { portalCsrfField, type PortalPage } from '../layout.ts';
import { PORTAL_PATH } from '../session.ts';

export const TESTIMONIAL_PATH = `${PORTAL_PATH}/testimonial`;
const PER_PAGE = 20;
const STATUS_WORDS: Record<TestimonialView['status'], string> = {
  pending: 'waiting for the shop to review it', approved: 'approved: the shop may show it', rejected: 'not published',
};

const zOwnQuery = z.object({ cursor: zPagination.cursor });

async function testimonialPage(p: PortalCtx, problem?: FormProblem): Promise<PortalPage> {
  const { data: query } = parseQuery(zOwnQuery, p.req.query);
  // GET /testimonials's use case, for this advocate's alone (their index: testimonials_advocate).
  const list = await listTestimonials(p.ctx, { advocateId: p.advocateId }, pageOf({ cursor: query.cursor, limit: PER_PAGE }), testimonialView);
  const rows = (list.testimonials as TestimonialView[]).map((t) => html`<tr>
<td>${when(t.created_at)}</td>
<td class="num">${t.rating} of 5</td>
<td>${t.product ?? ''}</td>
<td>${t.text}</td>
<td>${badge(t.status)} <span class="muted">${STATUS_WORDS[t.status]}</span></td>
</tr>`);
  return {
    title: 'Your testimonial',
    nav: 'testimonial',
    body: html`<p>Tell others what you think of ${p.viewer.brand.name}. The shop reviews each testimonial before it shows it.</p>
<form method="post" action="${TESTIMONIAL_PATH}" class="card" aria-labelledby="new-h" novalidate>
<h2 id="new-h">Write a testimonial</h2>
${portalCsrfField(p.viewer)}${formIdField()}
${problemSummary(problem)}
${select({ name: 'rating', label: 'Your rating', required: true, problem, value: '5',
    options: [['5', '5 of 5: excellent'], ['4', '4 of 5: good'], ['3', '3 of 5: fair'], ['2', '2 of 5: poor'], ['1', '1 of 5: bad']] })}
${textarea({ name: 'text', label: 'Your testimonial', required: true, problem, hint: 'at most 5,000 characters' })}
${input({ name: 'product', label: 'The product it is about (optional)', problem, attrs: html` maxlength="200" autocomplete="off"` })}
<p><button type="submit">Send the testimonial</button></p>
</form>
<section aria-labelledby="own-h">
<h2 id="own-h">Your testimonials</h2>
${table('Your testimonials, newest first', html`<tr><th scope="col">Sent</th><th scope="col" class="num">Rating</th><th scope="col">Product</th>
<th scope="col">Testimonial</th><th scope="col">Status</th></tr>`, rows, 'You have sent no testimonial yet.')}
${pager(TESTIMONIAL_PATH, {}, list.next_cursor, query.cursor === undefined, { label: 'Testimonial pages' })}
</section>`,
  };
}

export function testimonialRoutes(deps: AppDeps): Router {
  const r = Router();
  r.get('/testimonial', portalPage(deps, (p) => testimonialPage(p)));
  // POST /api/v1/testimonials {advocate_id, rating, text, product} for the session's advocate, once per form.
  r.post('/testimonial', portalAction(deps, zCreateTestimonialRequest, (form, p) => ({
    advocate_id: p.advocateId, rating: field(form, 'rating'), text: field(form, 'text'), product: optional(field(form, 'product')),
  }), async (ctx, data, p) => {
    const { replayed } = await oncePerForm(ctx, p, 'testimonials', data, async () => ({ testimonial: await submitTestimonial(ctx, data, 'api') }));
    return {
      redirect: TESTIMONIAL_PATH,
      notice: replayed ? 'This form was already sent: your testimonial was saved once.'
        : 'Thank you: your testimonial is saved, and waits for the shop to review it.',
    };
  }, (p, problem) => testimonialPage(p, problem)));
  return r;
}
