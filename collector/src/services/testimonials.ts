// Use cases of testimonials (002_*'s /testimonials): submitted by an advocate or a named person (the secret key, or the
// publishable key from one of the brand's origins), pending until moderated; the approved ones are what a site's pages
// show (publicTestimonialView: no email, no advocate id).
import type { Testimonial, TestimonialFilter, TestimonialSource } from '../db/testimonials.ts';
import { ApiError, badField, notFound } from '../errors.ts';
import { listPage, type Page } from '../http/query.ts';
import type { CreateTestimonialRequest } from '../schemas/testimonials.ts';
import { publish, testimonialSubject } from '../webhooks/outbox.ts';
import type { Ctx } from './context.ts';

export const testimonialView = (t: Testimonial) => ({
  id: t.id,
  advocate_id: t.advocateId,
  name: t.name,
  email: t.email,
  rating: t.rating,
  text: t.text,
  product: t.product,
  status: t.status,
  source: t.source,
  created_at: t.createdAt,
  updated_at: t.updatedAt,
  moderated_at: t.moderatedAt,
});

export type TestimonialView = ReturnType<typeof testimonialView>;

/** What a site's pages read with the publishable key: an approved testimonial without its author's email or advocate id. */
export const publicTestimonialView = (t: Testimonial) => ({
  id: t.id,
  name: t.name,
  rating: t.rating,
  text: t.text,
  product: t.product,
  created_at: t.createdAt,
});

export type PublicTestimonialView = ReturnType<typeof publicTestimonialView>;

async function findTestimonial({ q, brand }: Ctx, id: number): Promise<Testimonial> {
  const t = await q.testimonials.find(brand.id, id);
  if (!t) throw notFound('testimonial');
  return t;
}

export const getTestimonial = async (ctx: Ctx, id: number): Promise<TestimonialView> => testimonialView(await findTestimonial(ctx, id));

/**
 * A new testimonial, pending. `source` says which key sent it: a browser's (the publishable key) names its author by
 * name and email only, since a page cannot prove it speaks for an advocate.
 */
export async function submitTestimonial(ctx: Ctx, req: CreateTestimonialRequest, source: TestimonialSource): Promise<TestimonialView> {
  const { q, brand, now } = ctx;
  if (req.advocateId !== null) {
    if (source === 'browser') {
      throw new ApiError(403, 'secret_key_required', 'advocate_id: a testimonial for an advocate needs the secret key; a page sends name and email',
        [{ field: 'advocate_id', message: 'needs the secret key' }]);
    }
    const advocate = await q.advocates.findById(brand.id, req.advocateId);
    if (!advocate) {
      throw new ApiError(404, 'not_found', 'No advocate with this id for this brand', [{ field: 'advocate_id', message: 'no such advocate in this brand' }]);
    }
    if (advocate.status === 'blocked') throw badField('advocate_id', `advocate ${advocate.id} is blocked`);
  }
  const id = await q.testimonials.insert(brand.id, { ...req, source, createdAt: now.toISOString() });
  const view = await getTestimonial(ctx, id);
  await publish(ctx, 'testimonial.created', () => view, testimonialSubject(id));
  return view;
}

/**
 * PATCH /testimonials/:id: approved or rejected (an approved one may be withdrawn later, a rejected one approved).
 * The same status again changes nothing; becoming approved publishes testimonial.approved.
 */
export async function moderateTestimonial(ctx: Ctx, id: number, status: 'approved' | 'rejected'): Promise<TestimonialView> {
  const current = await findTestimonial(ctx, id);
  if (current.status === status) return testimonialView(current);
  await ctx.q.testimonials.moderate(ctx.brand.id, id, status, ctx.now.toISOString());
  const view = await getTestimonial(ctx, id);
  if (status === 'approved') await publish(ctx, 'testimonial.approved', () => view, testimonialSubject(id));
  return view;
}

/** A page of the brand's testimonials, newest first; `view` shapes each (the public one for the publishable key). */
export const listTestimonials = <V extends { id: number }>(ctx: Ctx, filter: TestimonialFilter, page: Page, view: (t: Testimonial) => V) =>
  listPage('testimonials', page, async (slice) => {
    const p = await ctx.q.testimonials.page(ctx.brand.id, filter, slice);
    return { ...p, rows: p.rows.map(view) };
  }, () => ctx.q.testimonials.total(ctx.brand.id, filter));
