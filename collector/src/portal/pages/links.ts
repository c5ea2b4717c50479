// /portal/links: the link builder. A page of the shop (on the brand's allowed origins) and the five UTM fields make the
// advocate's referral link to that page (?ref=CODE, as al.js reads it), shown with a Copy button and its QR code. The
// form posts (with the session's CSRF token) and the answer is the page with the link: nothing is written or kept.
import { Router } from 'express';
import type { AppDeps } from '../../app.ts';
import { toApiError } from '../../http/errors.ts';
import { parseBody } from '../../http/parse.ts';
import { html, type SafeHtml } from '../../dashboard/html.ts';
import { field, optional, problemOf, type FormBody, type FormProblem } from '../../dashboard/page.ts';
import { input, problemSummary } from '../../dashboard/ui.ts';
import { getAdvocate } from '../../services/advocates.ts';
import { buildAdvocateLink } from '../../services/portalLinks.ts';
import { UTM_FIELDS, zBuildLinkRequest } from '../../schemas/portalLinks.ts';
import { portalPage, type PortalCtx } from '../forms.ts';
import { portalCsrfField, type PortalPage } from '../layout.ts';
import { qrSvg } from '../qr.ts';
import { PORTAL_PATH } from '../session.ts';

const UTM_LABELS: Record<(typeof UTM_FIELDS)[number], [string, string]> = {
  utm_source: ['Source (utm_source)', 'where it is shared: newsletter, instagram'],
  utm_medium: ['Medium (utm_medium)', 'the kind of channel: email, social'],
  utm_campaign: ['Campaign (utm_campaign)', 'e.g. spring-sale'],
  utm_term: ['Term (utm_term)', 'a keyword, if any'],
  utm_content: ['Content (utm_content)', 'which post or button, if you share it in several'],
};

async function codeOf(p: PortalCtx): Promise<string | null> {
  return (await getAdvocate(p.ctx, p.advocateId)).referral_code;
}

function builderPage(p: PortalCtx, code: string | null, form: FormBody, problem?: FormProblem, link?: string): PortalPage {
  if (!code) {
    return { title: 'Link builder', nav: 'links', body: html`<p class="note" role="note">You have no active referral code yet: the shop will give you one.</p>` };
  }
  const origins = p.viewer.brand.allowedOrigins;
  const value = (name: string) => field(form, name);
  const result: SafeHtml = link ? html`<section aria-labelledby="built-h" class="card">
<h2 id="built-h">Your link</h2>
<p><label for="built">Share this link: visits through it count as yours, with these UTM fields.</label></p>
<p><input id="built" class="link" size="60" readonly value="${link}"> <button type="button" data-copy-input="built" hidden>Copy</button></p>
<figure class="qr-code">${qrSvg(link, `QR code of the link built, ${link}`)}<figcaption>The same link as a QR code.</figcaption></figure>
<p class="muted">Nothing is kept: build it again whenever you like.</p>
</section>` : html``;
  return {
    title: 'Link builder',
    nav: 'links',
    scripts: ['portalHome.js'],
    body: html`${problemSummary(problem)}${result}
<form class="card" method="post" action="${PORTAL_PATH}/links" aria-labelledby="builder-h">
<h2 id="builder-h">Build a link to a page of the shop</h2>
${portalCsrfField(p.viewer)}
${input({ name: 'landing_page', label: 'Page of the shop (its address)', type: 'url', required: true, value: value('landing_page'), problem, attrs: html` size="60"`,
    hint: origins.length ? `on ${origins.join(', ')}` : 'the shop has not set its sites yet' })}
${UTM_FIELDS.map((name) => input({ name, label: UTM_LABELS[name][0], value: value(name), problem, hint: UTM_LABELS[name][1] }))}
<p class="hint">Your code <code>${code}</code> is added as <code>ref=${code}</code>.</p>
<div class="field"><button type="submit">Build the link</button></div>
</form>`,
  };
}

export function linkRoutes(deps: AppDeps): Router {
  const r = Router();
  r.get('/links', portalPage(deps, async (p) => builderPage(p, await codeOf(p), {})));
  r.post('/links', portalPage(deps, async (p) => {
    const form = (p.req.body ?? {}) as FormBody;
    const code = await codeOf(p);
    if (!code) return builderPage(p, code, form);
    const body = { landing_page: field(form, 'landing_page'), ...Object.fromEntries(UTM_FIELDS.map((f) => [f, optional(field(form, f))])) };
    try {
      return builderPage(p, code, form, undefined, buildAdvocateLink(p.ctx, code, parseBody(zBuildLinkRequest, body).data));
    } catch (err) {
      const e = toApiError(err);
      if (!e || e.status >= 500) throw err;
      return { ...builderPage(p, code, form, problemOf(e, form)), status: e.status };
    }
  }));
  return r;
}
