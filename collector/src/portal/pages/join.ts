// /portal/join/BRAND/CAMPAIGN: self sign-up to a campaign (public, before the session check). The page exists only for
// a campaign of that brand that takes sign-ups (else the portal's 404); its form, refused from another site's page and
// limited per client IP (sign_up), makes a pending or an active advocate by the campaign's `signup` setting. An active
// one sees their link at once; no portal session is opened (the email is not proven: the portal's rights, payout
// details among them, stay with the link the owner sends to that address). An email that already is an advocate of
// the brand gets the answer a pending sign-up gets, and nothing is written.
import { Router, type Request, type Response } from 'express';
import type { AppDeps } from '../../app.ts';
import type { Brand } from '../../db/brands.ts';
import type { Campaign } from '../../db/campaigns.ts';
import { ApiError } from '../../errors.ts';
import { toApiError } from '../../http/errors.ts';
import { parseBody } from '../../http/parse.ts';
import { limitSignUp } from '../../http/rateLimit.ts';
import { sameOrigin } from '../../dashboard/pages/signIn.ts';
import { html } from '../../dashboard/html.ts';
import { field, problemOf, type FormBody, type FormProblem } from '../../dashboard/page.ts';
import { input, problemSummary } from '../../dashboard/ui.ts';
import { zSignUpRequest } from '../../schemas/signups.ts';
import { referralLink } from '../../services/portal.ts';
import { joinableByAddress, joinPath, signUp } from '../../services/signups.ts';
import { sendPortalPublicPage } from './enter.ts';

interface Joinable { brand: Brand; campaign: Campaign }

const noPage = () => new ApiError(404, 'page_not_found', 'There is no sign-up page at this address');

async function joinableOf(deps: AppDeps, req: Request): Promise<Joinable> {
  const found = await joinableByAddress(deps.rq, String(req.params.brand), String(req.params.campaign));
  if (!found) throw noPage();
  return found;
}

function formPage(res: Response, { brand, campaign }: Joinable, problem?: FormProblem): void {
  sendPortalPublicPage(res, {
    title: `Join ${brand.name}'s referral programme`,
    status: problem ? 400 : 200,
    body: html`<p>Share your own link with friends: what they buy through it earns you a reward.
${campaign.signup === 'open' ? 'You get your link as soon as you sign up.' : `${brand.name} looks at each sign-up and writes to you once it is approved.`}</p>
${problemSummary(problem)}
<form class="card stack" method="post" action="${joinPath(brand.id, campaign.id)}" novalidate>
${input({ name: 'name', label: 'Your name', required: true, problem, attrs: html` autocomplete="name" maxlength="255"` })}
${input({ name: 'email', label: 'Your email', type: 'email', required: true, problem, attrs: html` autocomplete="email" maxlength="254"` })}
<button type="submit">Sign up</button>
</form>`,
  });
}

export function joinRoutes(deps: AppDeps): Router {
  const r = Router();
  r.get('/join/:brand/:campaign', async (req, res) => formPage(res, await joinableOf(deps, req)));
  r.post('/join/:brand/:campaign', sameOrigin(deps), ...limitSignUp(deps), async (req, res) => {
    const joinable = await joinableOf(deps, req);
    const form = (req.body ?? {}) as FormBody;
    const { brand, campaign } = joinable;
    let outcome;
    try {
      const { data } = parseBody(zSignUpRequest, { name: field(form, 'name'), email: field(form, 'email') });
      outcome = await deps.queue.run(() => signUp({ q: deps.q, brand, now: deps.now() }, campaign.id, data));
    } catch (err) {
      const e = toApiError(err);
      if (!e || e.status >= 500) throw err;
      if (e.status === 404) throw noPage();
      return formPage(res, joinable, problemOf(e, form));
    }
    if (outcome.kind === 'received') {
      // The same page, word for word, for a new pending advocate and for an email the brand already has.
      return sendPortalPublicPage(res, {
        title: 'Thank you: we have your sign-up',
        body: html`<p>You will hear from ${brand.name} by email.</p>`,
      });
    }
    const link = referralLink(brand, outcome.code);
    sendPortalPublicPage(res, {
      title: `Welcome to ${brand.name}'s referral programme`,
      body: html`<section aria-labelledby="link-h" class="card">
<h2 id="link-h">Your referral link</h2>
<p><label for="link">Share it: whoever buys through it is counted as yours.</label></p>
<p><input id="link" class="link" readonly value="${link}"></p>
<p class="muted">Your code: <code>${outcome.code}</code></p>
</section>
<p>Keep this link. To see your clicks and earnings later, ask ${brand.name} for a link to your referral portal.</p>`,
    });
  });
  return r;
}
