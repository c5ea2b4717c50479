// referloop testimonial ...: the moderation queue of testimonials, through the API's schemas and use cases, in one
// transaction on the database.
import { pageOf } from '../http/query.ts';
import { zModerateTestimonialRequest, zTestimonialListQuery } from '../schemas/testimonials.ts';
import { listTestimonials, moderateTestimonial, testimonialView } from '../services/testimonials.ts';
import { parse, print, table, type BrandOpts } from './common.ts';
import { inBrand, readBrand } from './inBrand.ts';

const COLUMNS = ['id', 'status', 'rating', 'name', 'email', 'advocate_id', 'product', 'text', 'created_at'];

export async function testimonialList(opts: BrandOpts & { status?: string; rating?: string; limit: string; page: string }): Promise<void> {
  const query = parse(zTestimonialListQuery, { status: opts.status, rating: opts.rating, limit: opts.limit, page: opts.page });
  const r = await readBrand(opts, (ctx) => listTestimonials(ctx, { status: query.status, rating: query.rating }, pageOf(query), testimonialView));
  print(opts, r, table(r.testimonials, COLUMNS));
}

export async function testimonialModerate(opts: BrandOpts & { id: string; status: string }): Promise<void> {
  const { status } = parse(zModerateTestimonialRequest, { status: opts.status });
  const testimonial = await inBrand(opts, (ctx) => moderateTestimonial(ctx, Number(opts.id), status));
  print(opts, { testimonial }, table([testimonial], COLUMNS));
}
