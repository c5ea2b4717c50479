// What the settings pages give an owner to paste elsewhere: the script tag, the checkout form, first API calls,
// each in a block with a copy button (client/common.ts shows and runs `button[data-copy]`; without JavaScript the
// text is selectable as it is).
import { html, type SafeHtml } from '../html.ts';

/** A labelled block of text to copy; `id` names it for its button. */
export const copyBlock = (id: string, label: string, text: string, what = 'Copy'): SafeHtml => html`<div class="copy-block">
<p class="copy-label">${label}</p>
<pre class="copy" id="${id}">${text}</pre>
<button type="button" class="secondary" data-copy="${id}" hidden>${what}</button>
</div>`;

/** The tracker's tag (README "Embed the tracker"): the collector's public address, the brand, a publishable key. */
export const scriptTag = (collectorUrl: string, brandId: string, publishableKey: string): string =>
  `<script async src="${collectorUrl}/al.js" data-brand="${brandId}" data-key="${publishableKey}"></script>`;

/** The stub that lets a page call al(...) before the tracker has loaded (README "Embed the tracker"). */
export const QUEUE_STUB = '<script>window.al=window.al||function(){var a=arguments;return new Promise(function(r){(al.q=al.q||[]).push([a,r])})};</script>';

/**
 * A checkout form whose hidden inputs al.js fills (tracker/src/forms.ts: `input[data-al]`, with the current referral
 * code and visitor id), so the site's backend receives them with the order.
 */
export const CHECKOUT_FORM = `<form method="post" action="/checkout">
  <label for="email">Email</label>
  <input id="email" name="email" type="email" autocomplete="email" required>
  <!-- filled by al.js: the referral code and the visitor id, for your backend -->
  <input type="hidden" name="referral_code" data-al="code">
  <input type="hidden" name="visitor_id" data-al="visitor_id">
  <button type="submit">Continue to payment</button>
</form>`;

/** What the backend sends once the order is paid, with the form's two fields (README "Call the API"). */
export const conversionCall = (collectorUrl: string, brandId: string, secretKey: string): string =>
  `curl -X POST ${collectorUrl}/api/v1/track/conversion \\
  -H "Content-Type: application/json" \\
  -H "X-API-Key: ${secretKey}" \\
  -H "X-Brand-ID: ${brandId}" \\
  -d '{"customer_email": "EMAIL", "order_id": "ORDER_ID", "order_value": 95.00, "referral_code": "REFERRAL_CODE", "visitor_id": "VISITOR_ID"}'`;

/** A first management call with a new secret key. */
export const settingsCall = (collectorUrl: string, secretKey: string): string =>
  `curl ${collectorUrl}/api/v1/settings -H "Authorization: Bearer ${secretKey}"`;
