// What this page's URL says (referral code, UTM tags) and whether this landing was already reported.

/** The landing's share of the visit payload. */
export interface Landing {
  referral_code?: string;
  [utm: string]: string | undefined;
}

// Only the five fields the collector knows; any other utm_ would come back as a warning.
const UTM_FIELD = /^utm_(source|medium|campaign|term|content)$/;

/** Pure: the code comes from the first parameter named in `param` (comma-separated) with a non-empty value. */
export function readLanding(search: string, param = 'ref'): Landing {
  const query = new URLSearchParams(search);
  const landing: Landing = {};
  for (const [name, value] of query) if (UTM_FIELD.test(name) && value) landing[name] = value;
  landing.referral_code = param
    .split(',')
    .map((name) => query.get(name.trim()))
    .find(Boolean)!;
  return landing;
}

// A reload of the landing URL is the same landing: sessionStorage remembers the last reported URL of this tab.
// Storage may be disabled or throw (private modes, sandboxed frames); then every load reports.
/** Whether `href` was already reported in this session; with `mark`, records that it now is. */
export function reported(href: string, mark?: boolean): boolean | undefined {
  try {
    return mark ? !!(sessionStorage.al_landing = href) : sessionStorage.al_landing == href;
  } catch {}
}
