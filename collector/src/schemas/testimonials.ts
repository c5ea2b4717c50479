// Request schemas of testimonials (002_*'s /testimonials): submitted by an advocate (`advocate_id`, 002_*'s `advocateId`)
// or by a person named by `name` and `email`, then moderated. The snake_case name wins when both are sent.
import { z } from 'zod';
import { zPagination, zQueryInt } from '../http/query.ts';
import { zEmail, zId, zText } from './common.ts';

export const TESTIMONIAL_STATUSES = ['pending', 'approved', 'rejected'] as const;
export const zTestimonialStatus = z.enum(TESTIMONIAL_STATUSES, { error: 'must be pending, approved or rejected' });

/** A rating: a whole number from 1 to 5, also as a digit ("5"). */
const zRating = z.union([z.number(), z.string().trim().regex(/^\d$/, 'must be a whole number from 1 to 5').transform(Number)], {
  error: 'must be a whole number from 1 to 5',
}).pipe(z.number().int('must be a whole number from 1 to 5').min(1, 'must be at least 1').max(5, 'must be at most 5'));

/**
 * POST /testimonials: who wrote it (`advocate_id`, or `name` and `email`: exactly one of the two), a `rating` and a
 * `text`, optionally the `product` it is about. With the publishable key (a site's page) only `name` and `email`:
 * a browser cannot prove it speaks for an advocate.
 */
export const zCreateTestimonialRequest = z.object({
  advocate_id: zId.optional(),
  advocateId: zId.optional(),
  name: zText(200).optional(),
  email: zEmail.optional(),
  rating: zRating,
  text: zText(5000),
  product: zText(200).optional(),
}).superRefine((b, ctx) => {
  const advocate = b.advocate_id ?? b.advocateId;
  if (advocate !== undefined && (b.name !== undefined || b.email !== undefined)) {
    ctx.addIssue({ code: 'custom', path: [b.advocate_id !== undefined ? 'advocate_id' : 'advocateId'], message: 'give advocate_id or name and email, not both' });
  }
  if (advocate === undefined) {
    if (b.name === undefined) ctx.addIssue({ code: 'custom', path: ['name'], message: 'is required without advocate_id' });
    if (b.email === undefined) ctx.addIssue({ code: 'custom', path: ['email'], message: 'is required without advocate_id' });
  }
}).transform((b) => ({
  advocateId: b.advocate_id ?? b.advocateId ?? null, name: b.name ?? null, email: b.email ?? null, rating: b.rating, text: b.text, product: b.product ?? null,
}));

export type CreateTestimonialRequest = z.output<typeof zCreateTestimonialRequest>;

/** PATCH /testimonials/:id (002_*): the moderation, approved or rejected (either may be changed later). */
export const zModerateTestimonialRequest = z.object({
  status: z.enum(['approved', 'rejected'], { error: 'must be approved or rejected' }),
});

/** GET /testimonials: newest first, by status and rating, paged like the other brand-sized lists. */
export const zTestimonialListQuery = z.object({
  ...zPagination,
  status: zTestimonialStatus.optional(),
  rating: zQueryInt(1, 5).optional(),
});

/** GET /testimonials/public: the approved ones only, by rating. */
export const zPublicTestimonialQuery = z.object({
  ...zPagination,
  rating: zQueryInt(1, 5).optional(),
});
