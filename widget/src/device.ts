// What al.js keeps on the device, read without al.js: its first-party cookies (tracker/src/cookies.ts names them), and
// the landing URL's code as al.js reads it (tracker/src/landing.ts).
import { CODE_COOKIE, VISITOR_COOKIE } from '../../tracker/src/cookies.ts';
import { readLanding } from '../../tracker/src/landing.ts';

/** A cookie's value, or undefined: none, blocked, or document.cookie throwing (a sandboxed frame). */
function cookie(name: string): string | undefined {
  try {
    for (const pair of document.cookie.split('; ')) {
      const at = pair.indexOf('=');
      // js-cookie writes values percent-encoded where needed.
      if (pair.slice(0, at) === name) return decodeURIComponent(pair.slice(at + 1)) || undefined;
    }
  } catch {}
  return undefined;
}

/**
 * The code of this device: al.js's cookie (what the collector told it to keep, first touch or last), else the one this
 * page's URL carries (a landing: al.js stores it only once its visit is answered, maybe after the widget asks).
 */
export const deviceCode = (param?: string): string | undefined => cookie(CODE_COOKIE) || readLanding(location.search, param).referral_code || undefined;
export const storedVisitorId = (): string | undefined => cookie(VISITOR_COOKIE);
