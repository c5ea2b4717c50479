// First-party cookies for the visitor id and referral code, on the widest domain the browser accepts.
import Cookies from 'js-cookie';

export const VISITOR_COOKIE = 'al_vid';
export const CODE_COOKIE = 'al_code';

/**
 * Pure: candidate cookie domains for a host, shortest first ("uk", "co.uk", "example.co.uk", ...). None for
 * single-label hosts and IP addresses, which only take host-only cookies.
 */
export function domainCandidates(host: string): string[] {
  if (/^[\d.]*$|:|^[^.]*$/.test(host)) return [];
  const labels = host.split('.');
  return labels.map((_, i) => labels.slice(-1 - i).join('.'));
}

/**
 * Browsers refuse cookies on public suffixes ("co.uk", "github.io"), so the first candidate that keeps a
 * throwaway cookie is the registrable domain, and no public-suffix list has to be shipped.
 */
function probeJar(): Cookies.CookiesStatic {
  const base = Cookies.withAttributes({ sameSite: 'Lax', secure: location.protocol == 'https:' });
  const value = '' + Math.random();
  for (const domain of domainCandidates(location.hostname)) {
    const jar = base.withAttributes({ domain });
    jar.set('al_probe', value);
    if (jar.get('al_probe') == value) return jar.remove('al_probe'), jar;
  }
  return base;
}

let jar: Cookies.CookiesStatic | undefined;

/**
 * The cookie jar, probed on first use: the probe writes, so call it only once consent allows. Reading or writing
 * throws where document.cookie does (sandboxed frames); blocked cookies are silently not kept, and the caller's
 * in-memory values carry on.
 */
export function cookieJar(): Cookies.CookiesStatic {
  return (jar = jar || probeJar());
}
