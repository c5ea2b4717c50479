// The portal's link builder form (POST /portal/links): a landing page of the shop and the five UTM fields al.js reads.
import { z } from 'zod';
import { zText } from './common.ts';

/** An absolute http(s) URL (a javascript:, data: or relative one is refused here; the brand's origins are checked after). */
const zLandingPage = zText(2048).transform((text, ctx) => {
  let url: URL | null = null;
  try {
    url = new URL(text);
  } catch {
    // not a URL
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    ctx.addIssue({ code: 'custom', message: 'must be an http:// or https:// address of a page of the shop' });
    return z.NEVER;
  }
  return url;
});

// As POST /track/visit takes them (schemas/track.ts), so the visit the link brings is recorded with them.
export const zBuildLinkRequest = z.object({
  landing_page: zLandingPage,
  utm_source: zText(255).optional(),
  utm_medium: zText(255).optional(),
  utm_campaign: zText(255).optional(),
  utm_term: zText(255).optional(),
  utm_content: zText(255).optional(),
});

export type BuildLinkRequest = z.infer<typeof zBuildLinkRequest>;
export const UTM_FIELDS = ['utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content'] as const;
