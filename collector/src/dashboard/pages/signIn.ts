// Sign-in and sign-out: a single-use link (`referloop user login-link`) opens a page whose button signs in, so a
// mail scanner that fetches the link does not use it up; an email and password (set on the account page) sign in
// on /dashboard/sign-in. Failed attempts are rate-limited (sign_in); sign-out ends the session on the server.
//
// The password form is sent before any session exists, so its CSRF protection is a double-submit token: GET
// /dashboard/sign-in sets a random `rl_signin` cookie (HttpOnly, SameSite=Lax) and puts the same value in the form;
// a POST whose field is not the cookie's value is a 403. Another site can neither read the cookie nor send it
// (SameSite) with a cross-site POST, so it cannot sign a victim's browser in to the attacker's account. A link's button
// carries no token (the link is its own secret), so both sign-in posts also refuse a browser's Origin that is not
// the collector's: another site cannot press an attacker's own link in a victim's browser.
import { Router, type Request, type RequestHandler, type Response } from 'express';
import type { AppDeps } from '../../app.ts';
import { publicUrlOf } from '../../config.ts';
import { ApiError } from '../../errors.ts';
import { toApiError } from '../../http/errors.ts';
import { parseBody } from '../../http/parse.ts';
import { limitSignIn } from '../../http/rateLimit.ts';
import { isTokenShaped, newToken } from '../../domain/sessions.ts';
import { zPasswordSignIn } from '../../schemas/dashboard.ts';
import { checkPassword, endSession, signInWithLink, signInWithPassword } from '../../services/dashboardUsers.ts';
import { html } from '../html.ts';
import { publicLayout, type Page } from '../layout.ts';
import { problemOf, type FormBody, type FormProblem } from '../page.ts';
import {
  clearSessionCookie, clearSignInCookie, cookiesOf, DASHBOARD_PATH, maybeViewerOf, sameToken, setSessionCookie, setSignInCookie,
  SIGN_IN_COOKIE, viewerOf,
} from '../session.ts';
import { input, problemSummary } from '../ui.ts';

/** Where to go after signing in: a dashboard path only (never another site: `//evil`, `/dashboard@evil`). */
export function safeNext(value: unknown): string {
  return typeof value === 'string' && /^\/dashboard(\/[^\\]*)?(\?.*)?$/.test(value) && !value.startsWith('//') ? value : DASHBOARD_PATH;
}

export function sendPublicPage(res: Response, page: Page): void {
  res.status(page.status ?? 200).type('html').send(publicLayout(page).value);
}

export const SIGN_IN_FIELD = '_signin';

/** This browser's double-submit token: the one its cookie holds, else a new one set now. */
function signInToken(req: Request, res: Response): string {
  const kept = cookiesOf(res)[SIGN_IN_COOKIE];
  if (kept && isTokenShaped(kept)) return kept;
  const token = newToken();
  setSignInCookie(req, res, token);
  return token;
}

function signInPage(req: Request, res: Response, next: string, problem?: FormProblem): Page {
  return {
    title: 'Sign in',
    body: html`${problemSummary(problem)}
<form method="post" action="${DASHBOARD_PATH}/sign-in" class="card stack">
  <input type="hidden" name="${SIGN_IN_FIELD}" value="${signInToken(req, res)}">
  <input type="hidden" name="next" value="${next}">
  ${input({ name: 'email', label: 'Email', type: 'email', required: true, problem, attrs: html` autocomplete="username"` })}
  ${input({ name: 'password', label: 'Password', type: 'password', required: true, problem: problem && { ...problem, values: {} }, attrs: html` autocomplete="current-password"` })}
  <button type="submit">Sign in</button>
</form>
<p>No password yet? Sign in with the link that <code>referloop user login-link --brand BRAND_ID --email you@example.com</code>
prints (the first <code>npm start</code> and every <code>npm run demo</code> print one for the demo brand), or that an owner
makes for you on the users page. A link works once, for an hour; then set a password on your account page.</p>`,
  };
}

const linkPage = (req: Request): Page => ({
  title: 'Sign in to Referloop',
  body: html`<form method="post" action="${req.originalUrl}">
  <input type="hidden" name="next" value="${safeNext(req.query.next)}">
  <button type="submit">Sign in</button>
</form>`,
});

const bodyOf = (req: Request): FormBody => (req.body ?? {}) as FormBody;

/**
 * A sign-in post from another site's page (its Origin header names another origin): 403. Browsers send Origin with
 * every cross-site POST; a client without one (curl, an old browser) is let through, as the tokens protect the rest.
 */
export function sameOrigin(deps: AppDeps): RequestHandler {
  const publicOrigin = new URL(publicUrlOf(deps.config)).origin;
  return (req, _res, next) => {
    const origin = req.headers.origin;
    if (origin === undefined || origin === publicOrigin || origin === `${req.protocol}://${req.host}`) return next();
    throw new ApiError(403, 'cross_site_sign_in', 'This sign-in was sent from another site: open the sign-in page or link yourself');
  };
}

/** The pages anyone may open: sign-in by password, and a sign-in link's page and button. */
export function signInRoutes(deps: AppDeps): Router {
  const r = Router();
  r.get('/sign-in', (req, res) => {
    if (maybeViewerOf(res)) return res.redirect(303, safeNext(req.query.next));
    sendPublicPage(res, signInPage(req, res, safeNext(req.query.next)));
  });
  r.post('/sign-in', sameOrigin(deps), ...limitSignIn(deps, 'password'), async (req, res) => {
    const form = bodyOf(req);
    const kept = cookiesOf(res)[SIGN_IN_COOKIE];
    const sent = form[SIGN_IN_FIELD];
    if (!kept || typeof sent !== 'string' || !sameToken(sent, kept)) {
      throw new ApiError(403, 'csrf_failed', 'This sign-in form was not sent from this browser\'s sign-in page: open the sign-in page again and retry');
    }
    const next = safeNext(form.next);
    try {
      const data = parseBody(zPasswordSignIn, { email: form.email, password: form.password }).data;
      // scrypt runs on the thread pool, not in the commit queue; the queue only writes the session.
      const user = await checkPassword(deps.rq, data);
      const session = await deps.queue.run(() => signInWithPassword(deps.q, user, deps.now()));
      setSessionCookie(req, res, session.token);
      clearSignInCookie(req, res);
      res.redirect(303, next);
    } catch (err) {
      const e = toApiError(err);
      if (!e || e.status >= 500) throw err;
      sendPublicPage(res, { ...signInPage(req, res, next, problemOf(e, form)), status: e.status });
    }
  });
  r.get('/sign-in/:token', (req, res) => sendPublicPage(res, linkPage(req)));
  r.post('/sign-in/:token', sameOrigin(deps), ...limitSignIn(deps, 'link'), async (req, res) => {
    const now = deps.now();
    try {
      const session = await deps.queue.run(() => signInWithLink(deps.q, String(req.params.token), now));
      setSessionCookie(req, res, session.token);
      res.redirect(303, safeNext(bodyOf(req).next));
    } catch (err) {
      const e = toApiError(err);
      if (!e || e.status >= 500) throw err;
      sendPublicPage(res, {
        title: 'This link no longer works',
        status: e.status,
        body: html`<p>${e.message}.</p><p><a href="${DASHBOARD_PATH}/sign-in">Sign in</a></p>`,
      });
    }
  });
  return r;
}

/** POST /dashboard/sign-out (signed in, CSRF checked): the session ends on the server, the cookie is cleared. */
export function signOutRoutes(deps: AppDeps): Router {
  const r = Router();
  r.post('/sign-out', async (req, res) => {
    const viewer = viewerOf(res);
    const now = deps.now();
    await deps.queue.run(() => endSession(deps.q, viewer.sessionHash, now));
    clearSessionCookie(req, res);
    res.redirect(303, `${DASHBOARD_PATH}/sign-in`);
  });
  return r;
}
