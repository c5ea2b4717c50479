// /dashboard/settings/embed: the script tag for this brand and the checkout form whose inputs it fills, to copy.
// A publishable key is stored only hashed, so the tag here carries a placeholder (beside the active keys' prefixes),
// and a form makes a new publishable key whose answer shows the tag complete, once.
import { Router } from 'express';
import type { AppDeps } from '../../app.ts';
import { publicUrlOf } from '../../config.ts';
import { zKeyCreate } from '../../schemas/keys.ts';
import { when } from '../format.ts';
import { html } from '../html.ts';
import { csrfField, type Page } from '../layout.ts';
import { action, page, type FormProblem, type PageCtx } from '../page.ts';
import { input, problemSummary } from '../ui.ts';
import { activePublishableKeys, createKeyCase, keyInput, KEYS_PATH } from './settingsKeys.ts';
import { CHECKOUT_FORM, conversionCall, copyBlock, QUEUE_STUB, scriptTag } from './settingsSnippets.ts';
import { isOwner, readOnlyNote, SETTINGS_PATH, settingsTabs } from './settingsTabs.ts';

export const EMBED_PATH = `${SETTINGS_PATH}/embed`;
export const KEY_PLACEHOLDER = 'YOUR_PUBLISHABLE_KEY';

export async function embedPage(p: PageCtx, problem?: FormProblem): Promise<Page> {
  const url = publicUrlOf(p.deps.config);
  const keys = await activePublishableKeys(p);
  const origins = p.brand.allowedOrigins;
  return {
    title: 'Script tag and checkout form',
    nav: 'settings',
    body: html`${settingsTabs(p, 'embed')}
${readOnlyNote(p)}
<h2>1. The script tag, on every page</h2>
<p>Put it in the <code>&lt;head&gt;</code> of your site's pages. A publishable key is kept only as a hash, so it cannot be
shown again: replace <code>${KEY_PLACEHOLDER}</code> with the publishable key you kept${isOwner(p) ? ', or make a new one below and copy the tag it answers, complete' : ''}.</p>
${copyBlock('script-tag', 'Script tag', scriptTag(url, p.brand.id, KEY_PLACEHOLDER), 'Copy the script tag')}
${keys.length
    ? html`<p>Active publishable keys: ${keys.map((k, i) => html`${i ? ', ' : ''}<strong>${k.name}</strong> <code>${k.prefix}</code> (made ${when(k.created_at)})`)}.
See <a href="${KEYS_PATH}">API keys</a>.</p>`
    : html`<p class="error">This brand has no active publishable key: the tracker's calls are refused until one is made.</p>`}
<p>The tag's calls are accepted only from pages of the allowed origins:
${origins.length ? origins.map((o, i) => html`${i ? ', ' : ''}<code>${o}</code>`) : html`<strong>none yet</strong>`}
(<a href="${SETTINGS_PATH}#origins-title">change them</a>).</p>
${isOwner(p) ? html`<form method="post" action="${EMBED_PATH}/key" class="card" aria-labelledby="embed-key-title" novalidate>
<h3 id="embed-key-title">A new publishable key for the tag</h3>
${csrfField(p.viewer)}
${problemSummary(problem)}
${input({ name: 'name', label: 'Key name', value: `site tag ${p.now.toISOString().slice(0, 10)}`, hint: 'The answer shows the key and the complete script tag, this once.', problem, required: true, attrs: html` maxlength="64" autocomplete="off"` })}
<p><button type="submit">Make a publishable key and its tag</button></p>
</form>` : ''}
<details>
<summary>Calling the tracker before it has loaded</summary>
<p>To call <code>al('code')</code>, <code>al('claim', {...})</code> or <code>al('consent', true)</code> before the tag has
loaded, put this first:</p>
${copyBlock('queue-stub', 'Queue stub', QUEUE_STUB, 'Copy the stub')}
</details>
<h2>2. The checkout form</h2>
<p>The tracker fills every <code>&lt;input data-al="code"&gt;</code> and <code>&lt;input data-al="visitor_id"&gt;</code>
with the referral code and the visitor id it keeps (never blanking a value your page set), so your checkout form
carries them to your backend. Forms rendered later by script should ask <code>al('code')</code> and
<code>al('visitorId')</code> themselves.</p>
${copyBlock('checkout-form', 'Checkout form', CHECKOUT_FORM, 'Copy the form')}
<h2>3. Your backend, once the order is paid</h2>
<p>Send the order with the two fields the form carried, from your server with a <a href="${KEYS_PATH}">secret key</a>
(leave out a field the form sent empty):</p>
${copyBlock('conversion-call', 'Conversion call', conversionCall(url, p.brand.id, 'rl_sk_YOUR_SECRET_KEY'), 'Copy the call')}`,
  };
}

export function embedRoutes(deps: AppDeps): Router {
  const r = Router();
  r.get('/settings/embed', page(deps, (p) => embedPage(p)));
  // Always a publishable key, whatever is posted as its kind.
  r.post('/settings/embed/key', action(deps, zKeyCreate, (form) => ({ ...keyInput(form), kind: 'publishable' }), createKeyCase(deps), embedPage));
  return r;
}
