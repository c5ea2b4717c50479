// A referral link to a page of the shop: the page's URL with the UTM fields and the code in the parameter al.js reads
// by default (?ref=CODE: tracker/src/landing.ts), each replacing a parameter of that name the URL already had.

/** The landing page `page` carrying `code` as ?ref= and each UTM field given (its own query and fragment kept). */
export function buildReferralLink(page: URL, code: string, utm: Partial<Record<string, string>>): string {
  const url = new URL(page.href);
  for (const [name, value] of Object.entries(utm)) if (value !== undefined) url.searchParams.set(name, value);
  url.searchParams.set('ref', code);
  return url.href;
}

/** The longest link al.js reports as a visit's landing_page (schemas/track.ts). */
export const MAX_LINK_LENGTH = 2048;
