// What al.js keeps on the device, read without al.js: its first-party cookies (tracker/src/cookies.ts names them).
import { CODE_COOKIE, VISITOR_COOKIE } from '../../tracker/src/cookies.ts';

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

export const storedCode = (): string | undefined => cookie(CODE_COOKIE);
export const storedVisitorId = (): string | undefined => cookie(VISITOR_COOKIE);
