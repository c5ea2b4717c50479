// Reads the tracker's settings from the data- attributes of its own <script> tag.

export interface TrackerConfig {
  /** `data-brand` and `data-key` (rl_pk_…): sent in every request body; the collector rejects requests without. */
  brand?: string;
  key?: string;
  /** Collector base URL, no trailing slash: `data-api`, else the origin the script was loaded from. */
  api: string;
  /** `data-param`: URL parameters that may carry the referral code, in order of preference. */
  params: string[];
  /** `data-require-consent`: touch neither cookies nor storage until al('consent', true). */
  consent: boolean;
}

// Throws when no tag is found (a copy inlined without data-brand): the tracker then stays inert.
export function readConfig(doc: Document): TrackerConfig {
  // currentScript is null when something other than a <script> element runs the file: find our tag by its src.
  const script = (doc.currentScript ||
    doc.querySelector('script[src*="al.js"][data-brand]')) as HTMLScriptElement;
  const data = script.dataset;
  return {
    brand: data.brand,
    key: data.key,
    api: (data.api || new URL(script.src).origin).replace(/\/$/, ''),
    params: (data.param || 'ref').split(','),
    consent: data.requireConsent != null,
  };
}
