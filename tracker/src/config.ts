// Reads the tracker's settings from the data- attributes of its own <script> tag.

export interface TrackerConfig {
  /** `data-brand` and `data-key` (rl_pk_…): sent in every request body; the collector rejects requests without. */
  brand?: string;
  key?: string;
  /** `data-param`: comma-separated URL parameters that may carry the referral code (default `ref`). */
  param?: string;
  /** `data-require-consent`: present = touch neither cookies nor storage until al('consent', true). */
  requireConsent?: string;
  /** `data-respect-gpc`: present = a browser with Global Privacy Control on is a visitor who did not consent. */
  respectGpc?: string;
  /** Collector base URL, no trailing slash: `data-api`, else the origin the script was loaded from. */
  api: string;
}

// Throws when no tag is found (a copy inlined without data-brand): the tracker then stays inert.
export function readConfig(): TrackerConfig {
  // currentScript is null when something other than a <script> element runs the file: find our tag by its src.
  const script = (document.currentScript ||
    document.querySelector('script[src*="al.js"][data-brand]')) as HTMLScriptElement;
  const data = script.dataset;
  return { ...data, api: (data.api || new URL(script.src).origin).replace(/\/$/, '') };
}
