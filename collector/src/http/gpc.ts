// Global Privacy Control on the visit route: a brand that respects it (setting respect_gpc) records nothing of a
// visit sent with `Sec-GPC: 1`, the header a browser with GPC on sends with every request.
import type { RequestHandler } from 'express';
import { callerOf } from './auth.ts';
import { send } from './useCase.ts';

/**
 * The visit's answer then: a 200 the tracker reads as "store nothing" (no visitor id, no code to store or clear);
 * nothing is written (no visit, no click, no Idempotency-Key answer).
 */
const IGNORED = {
  success: true,
  data: { store_code: false, clear_existing: false, code: null, referrer_first_name: null, visitor_id: null, ignored: 'gpc' },
};

export const ignoreVisitUnderGpc: RequestHandler = (req, res, next) => {
  if (callerOf(res).brand.respectGpc && req.get('Sec-GPC')?.trim() === '1') return send(res, { status: 200, body: IGNORED }, []);
  next();
};
