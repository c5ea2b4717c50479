// /api/v1/testimonials (002_*): submitted with the secret key or, from a site's page, the publishable key (an allowed
// Origin, the client IP's `testimonial` budget); listed and moderated with the secret key; the approved ones read by
// a site's pages with the publishable key (/testimonials/public, the IP's `testimonial_read` budget).
import express, { type Request, type RequestHandler } from 'express';
import type { AppDeps } from '../../app.ts';
import { zNoFields } from '../../schemas/common.ts';
import { zCreateTestimonialRequest, zModerateTestimonialRequest, zPublicTestimonialQuery, zTestimonialListQuery } from '../../schemas/testimonials.ts';
import {
  getTestimonial, listTestimonials, moderateTestimonial, publicTestimonialView, submitTestimonial, testimonialView,
} from '../../services/testimonials.ts';
import { authenticate, browserEndpoint, callerOf, corsPreflight } from '../auth.ts';
import { jsonBody } from '../body.ts';
import { manageGuard, readCase, writeCase } from '../manage.ts';
import { pageOf, parseQuery, pathId } from '../query.ts';
import { limitCaller } from '../rateLimit.ts';
import { ok, send, useCase } from '../useCase.ts';

const testimonialIdOf = (req: Request) => pathId(req.params.id, 'testimonial');

export function testimonialRoutes(deps: AppDeps): express.Router {
  const router = express.Router();
  const guard = manageGuard(deps);
  const browserAuth = authenticate(deps, { browser: true });

  router.options(['/testimonials', '/testimonials/public'], corsPreflight);

  // The approved ones, as a page shows them, on the read-only connection. Unlike the management reads it settles no
  // commissions: a page view of the shop must not approve rewards or wait for them.
  const readPublic: RequestHandler = async (req, res) => {
    const { data, warnings } = parseQuery(zPublicTestimonialQuery, req.query);
    const ctx = { q: deps.rq, brand: callerOf(res).brand, now: deps.now() };
    const answer = await listTestimonials(ctx, { status: 'approved', rating: data.rating }, pageOf(data), publicTestimonialView);
    send(res, { status: 200, body: { success: true, data: answer } }, warnings);
  };
  router.get('/testimonials/public', browserEndpoint, browserAuth, ...limitCaller(deps, 'testimonial_read'), readPublic);

  router.post('/testimonials', browserEndpoint, jsonBody(deps.config.bodyLimit), browserAuth, ...limitCaller(deps, 'testimonial'),
    useCase(deps, 'testimonials', zCreateTestimonialRequest, async (ctx, data, _req, res) =>
      ok(201, { testimonial: await submitTestimonial(ctx, data, callerOf(res).keyKind === 'secret' ? 'api' : 'browser') })));

  router.get('/testimonials', guard, readCase(deps, zTestimonialListQuery, (ctx, query) =>
    listTestimonials(ctx, { status: query.status, rating: query.rating }, pageOf(query), testimonialView)));

  router.get('/testimonials/:id', guard, readCase(deps, zNoFields,
    async (ctx, _query, req) => ({ testimonial: await getTestimonial(ctx, testimonialIdOf(req)) })));

  router.patch('/testimonials/:id', guard, writeCase(deps, zModerateTestimonialRequest,
    async (ctx, data, req) => ok(200, { testimonial: await moderateTestimonial(ctx, testimonialIdOf(req), data.status) })));

  return router;
}
