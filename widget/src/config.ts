// Reads the widget's settings from the data- attributes of its own <script> tag.

export interface WidgetConfig {
  /** `data-brand` and `data-key` (rl_pk_…): the brand and its publishable key, as al.js takes them. */
  brand: string;
  key: string;
  /** `data-sso-token`: a session token (rl_st_…) from POST /sso/recognize: advocate mode. */
  ssoToken?: string;
  /** `data-param`: as al.js's, the URL parameters that may carry the referral code (default `ref`). */
  param?: string;
  /** Collector base URL, no trailing slash: `data-api`, else the origin the script was loaded from. */
  api: string;
}

/** The tag's settings, or undefined when the tag is not found or lacks its brand or key (the widget then stays away). */
export function readConfig(): WidgetConfig | undefined {
  // currentScript is null when something other than a <script> element runs the file: find our tag by its src.
  const script = (document.currentScript || document.querySelector('script[src*="widget.js"][data-brand]')) as HTMLScriptElement | null;
  const data = script?.dataset;
  if (!script || !data?.brand || !data.key) return undefined;
  return { brand: data.brand, key: data.key, ssoToken: data.ssoToken || undefined, param: data.param || undefined, api: (data.api || new URL(script.src).origin).replace(/\/$/, '') };
}
