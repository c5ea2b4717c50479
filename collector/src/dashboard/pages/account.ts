// "Your account" (/dashboard/account), for every signed-in user, viewers too: who you are, and setting or changing
// your password (the current one required to change it). The hash is made off the event loop before the commit
// queue writes it; a new password ends your other sessions.
import { Router, type Request, type Response } from 'express';
import type { AppDeps } from '../../app.ts';
import { toApiError } from '../../http/errors.ts';
import { parseBody } from '../../http/parse.ts';
import { PASSWORD_RULE, zSetPassword } from '../../schemas/dashboard.ts';
import { preparePassword, savePassword } from '../../services/dashboardUsers.ts';
import { when } from '../format.ts';
import { html } from '../html.ts';
import { csrfField, type Page } from '../layout.ts';
import { page, problemOf, sendPage, type FormBody, type FormProblem, type PageCtx } from '../page.ts';
import { DASHBOARD_PATH, setNotice, viewerOf } from '../session.ts';
import { input, problemSummary } from '../ui.ts';

export const ACCOUNT_PATH = `${DASHBOARD_PATH}/account`;

/** A refused password form is shown again empty: passwords are never written back into a page. */
const withoutValues = (problem?: FormProblem): FormProblem | undefined => problem && { ...problem, values: {} };

function accountPage(p: Pick<PageCtx, 'viewer'>, problem?: FormProblem): Page {
  const { user, brand } = p.viewer;
  const hasPassword = user.has_password;
  const blank = withoutValues(problem);
  return {
    title: 'Your account',
    body: html`<dl class="brand-facts">
<div><dt>Email</dt><dd>${user.email}</dd></div>
<div><dt>Role</dt><dd>${user.role}</dd></div>
<div><dt>Brand</dt><dd>${brand.name} (<code>${brand.id}</code>)</dd></div>
<div><dt>User since</dt><dd>${when(user.created_at)}</dd></div>
<div><dt>Password</dt><dd>${hasPassword ? 'set' : 'not set: you sign in with links'}</dd></div>
</dl>
<h2 id="password-title">${hasPassword ? 'Change your password' : 'Set a password'}</h2>
<form method="post" action="${ACCOUNT_PATH}/password" class="card" aria-labelledby="password-title" novalidate>
${csrfField(p.viewer)}
${problemSummary(problem)}
${hasPassword ? input({ name: 'current_password', label: 'Current password', type: 'password', required: true, problem: blank, attrs: html` autocomplete="current-password"` }) : ''}
${input({ name: 'password', label: 'New password', type: 'password', hint: `${PASSWORD_RULE}; a few words make a good one`, required: true, problem: blank, attrs: html` autocomplete="new-password" maxlength="200"` })}
${input({ name: 'password_repeat', label: 'New password again', type: 'password', required: true, problem: blank, attrs: html` autocomplete="new-password" maxlength="200"` })}
<p><button type="submit">${hasPassword ? 'Change the password' : 'Set the password'}</button></p>
<p class="muted">Then sign in with your email and this password on the sign-in page. Your other sessions end when it changes.</p>
</form>`,
  };
}

async function setPassword(deps: AppDeps, req: Request, res: Response): Promise<void> {
  const viewer = viewerOf(res);
  const form = (req.body ?? {}) as FormBody;
  try {
    const data = parseBody(zSetPassword, { current_password: form.current_password, password: form.password, password_repeat: form.password_repeat }).data;
    const user = (await deps.rq.dashboardUsers.userById(viewer.brand.id, viewer.user.user_id))!;
    const hash = await preparePassword(user, data);
    await deps.queue.run(() => savePassword({ q: deps.q, brand: viewer.brand, now: deps.now() }, user.id, user.password_hash, hash, viewer.sessionHash));
  } catch (err) {
    const e = toApiError(err);
    if (!e || e.status >= 500) throw err;
    sendPage(req, res, { ...accountPage({ viewer }, problemOf(e, form)), status: e.status });
    return;
  }
  setNotice(req, res, 'Your password is set. Your other sessions have ended.');
  res.redirect(303, ACCOUNT_PATH);
}

export function accountRoutes(deps: AppDeps): Router {
  const r = Router();
  r.get('/account', page(deps, (p) => accountPage(p)));
  r.post('/account/password', (req, res) => setPassword(deps, req, res));
  return r;
}
