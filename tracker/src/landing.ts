// What this page's URL says (referral code, UTM tags) and whether this landing was already reported.

export interface Landing {
  code?: string;
  /** Only the five utm_ fields the collector knows; anything else would come back as a warning. */
  utm: Record<string, string>;
}

const UTM_FIELD = /^utm_(source|medium|campaign|term|content)$/;

/** Pure: the code comes from the first configured parameter that has a non-empty value. */
export function readLanding(search: string, params: readonly string[]): Landing {
  const query = new URLSearchParams(search);
  const utm: Record<string, string> = {};
  for (const [name, value] of query) if (UTM_FIELD.test(name) && value) utm[name] = value;
  return { code: params.map((name) => query.get(name.trim())).find(Boolean) || undefined, utm };
}

// A reload of the landing URL is the same landing: remember the last reported URL for this tab's session.
// Storage may be disabled or throw (private modes, sandboxed frames); then every load reports.
export function wasReported(href: string): boolean {
  try {
    return sessionStorage.al_landing == href;
  } catch {
    return false;
  }
}

export function markReported(href: string): void {
  try {
    sessionStorage.al_landing = href;
  } catch {}
}
