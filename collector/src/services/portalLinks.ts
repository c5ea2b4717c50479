// The portal's link builder: the session's advocate's referral link to a page of the shop, with UTM fields. Nothing is
// stored: the link is built from the form each time (the visits it brings are recorded as any visit, with its UTMs).
import { badField } from '../errors.ts';
import { buildReferralLink, MAX_LINK_LENGTH } from '../domain/referralLinks.ts';
import { UTM_FIELDS, type BuildLinkRequest } from '../schemas/portalLinks.ts';
import type { Ctx } from './context.ts';

/** The link, or a 400 naming the field: a page off the brand's allowed origins, or a link longer than al.js reports. */
export function buildAdvocateLink({ brand }: Ctx, code: string, req: BuildLinkRequest): string {
  if (!brand.allowedOrigins.includes(req.landing_page.origin)) {
    throw badField('landing_page', brand.allowedOrigins.length
      ? `must be a page of ${brand.allowedOrigins.join(', ')} (the shop's own sites)`
      : 'cannot be checked: the shop has not set its sites (allowed origins) yet');
  }
  const link = buildReferralLink(req.landing_page, code, Object.fromEntries(UTM_FIELDS.map((f) => [f, req[f]])));
  if (link.length > MAX_LINK_LENGTH) throw badField('landing_page', `makes a link of ${link.length} characters with these fields: at most ${MAX_LINK_LENGTH}`);
  return link;
}
