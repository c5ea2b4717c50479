// Answer schemas of testimonials (services/testimonials.ts testimonialView, publicTestimonialView).
import { z } from 'zod';
import type { PublicTestimonialView, TestimonialView } from '../../services/testimonials.ts';
import { zTestimonialStatus } from '../testimonials.ts';
import { zInstant, zRecordId, type Same } from './common.ts';

const zRating = z.number().int().min(1).max(5);

export const zTestimonial = z.strictObject({
  id: zRecordId,
  advocate_id: zRecordId.nullable().meta({ description: 'The advocate who wrote it; null: a person named by name and email' }),
  name: z.string().meta({ description: "The author's name: as given, or the advocate's" }),
  email: z.string().nullable().meta({ description: 'The email given; null when the author is an advocate' }),
  rating: zRating,
  text: z.string(),
  product: z.string().nullable(),
  status: zTestimonialStatus.meta({ description: 'pending until moderated; only approved ones are public' }),
  source: z.enum(['api', 'browser']).meta({ description: 'api: sent with the secret key; browser: with the publishable key from an allowed origin' }),
  created_at: zInstant,
  updated_at: zInstant,
  moderated_at: zInstant.nullable(),
}).meta({ id: 'Testimonial', description: 'A testimonial: a rating and a text by an advocate or a named person' });

export const zPublicTestimonial = z.strictObject({
  id: zRecordId,
  name: z.string(),
  rating: zRating,
  text: z.string(),
  product: z.string().nullable(),
  created_at: zInstant,
}).meta({ id: 'PublicTestimonial', description: 'An approved testimonial as a site\'s pages show it: no email, no advocate id' });

const _testimonial: Same<z.output<typeof zTestimonial>, TestimonialView> = true;
const _public: Same<z.output<typeof zPublicTestimonial>, PublicTestimonialView> = true;
