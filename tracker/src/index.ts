// Entry: reads the landing, reports it to the collector once, persists the outcome and exposes window.al.
import { readConfig } from './config.ts';
import { readLanding, reported } from './landing.ts';
import { CODE_COOKIE, VISITOR_COOKIE, cookieJar } from './cookies.ts';
import { post } from './transport.ts';
import { fillInputs } from './forms.ts';
import { installApi } from './queue.ts';

export interface TrackerState {
  code: string | null;
  visitorId: string | null;
  /** First name of the advocate, known only on the page that reported the visit. */
  referrer: string | null;
}

// Never throw into the page: a misconfigured tag leaves the tracker inert, the site untouched.
try {
  const config = readConfig();
  const landing = readLanding(location.search, config.param);
  const href = location.href;
  // Before consent (consent mode) the link's code lives in memory only.
  let code = landing.referral_code;
  let visitorId: string | undefined;
  let referrer: string | undefined;
  // data-respect-gpc + Global Privacy Control on: no consent, and al('consent', true) does not give it (the collector
  // would drop the visit anyway when its brand respects GPC).
  const gpc = config.respectGpc != null && (navigator as { globalPrivacyControl?: boolean }).globalPrivacyControl;
  let consented = config.requireConsent == null && !gpc;
  let settled = false;

  const fill = () => fillInputs({ code, visitor_id: visitorId });

  // Once consent allows it: read the device, report this landing, store what the collector decided.
  const settle = async (): Promise<void> => {
    try {
      if (consented && !settled) {
        settled = true;
        const jar = cookieJar();
        const stored = jar.get(CODE_COOKIE);
        visitorId = jar.get(VISITOR_COOKIE);
        code = stored;
        if (landing.referral_code && !reported(href)) {
          const answer = await post(config, 'visit', {
            ...landing,
            visitor_id: visitorId,
            existing_code: stored,
            landing_page: href,
            referrer: document.referrer || undefined,
            cookie_domain: jar.attributes.domain,
          });
          const data = answer?.success && answer.data;
          if (answer) reported(href, true);
          // Collector down or slow: keep the link's code for this page, unvalidated and unstored; not marked, so
          // a reload reports the landing again.
          else code = stored || landing.referral_code;
          if (data) {
            referrer = data.referrer_first_name;
            if (data.visitor_id) jar.set(VISITOR_COOKIE, (visitorId = data.visitor_id), { expires: 365 });
            if (data.clear_existing) jar.remove(CODE_COOKIE), (code = undefined);
            if (data.store_code)
              jar.set(CODE_COOKIE, (code = data.code), { expires: data.attribution_window_days || 30 });
          }
        }
      }
    } catch {
      // document.cookie throws in sandboxed frames, whose requests the collector refuses anyway (Origin: null).
    }
    fill();
  };

  // Every command waits for the latest settle(), so its answer reflects the visit's outcome.
  let work = settle();

  installApi((name, arg) => {
    if (name == 'consent') (consented = !!arg && !gpc), (work = work.then(settle));
    return work.then(() => {
      const state: TrackerState = { code: code || null, visitorId: visitorId || null, referrer: referrer || null };
      // A callback that throws leaves its Promise resolved with undefined (see queue.ts).
      if (name == 'ready') return arg?.(state), state;
      if (name == 'code') return state.code;
      if (name == 'visitorId') return state.visitorId;
      if (name == 'checkEligibility')
        return post(config, 'check-eligibility', { referral_code: code, customer_email: arg }, {
          eligible: false,
          error: 'network_error',
        });
      if (name == 'claim')
        return post(config, 'claim', { referral_code: code, visitor_id: visitorId, ...arg }, {
          success: false,
          error: 'network_error',
        });
    });
  });

  // An async script can run before the body is parsed: fill again once the inputs exist (never fires if late).
  document.addEventListener('DOMContentLoaded', fill);
} catch {}
