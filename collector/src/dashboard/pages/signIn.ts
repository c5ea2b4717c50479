// Sign-in and sign-out: a single-use link (`referloop user login-link`) opens a page whose button signs in, so a
// mail scanner that fetches the link does not use it up; sign-out ends the session on the server.
import { Router, type Request, type Response } from 'express';
import type { AppDeps } from '../../app.ts';
import { toApiError } from '../../http/errors.ts';
import { endSession, signInWithLink } from '../../services/dashboardUsers.ts';
import { html } from '../html.ts';
import { publicLayout, type Page } from '../layout.ts';
import { clearSessionCookie, DASHBOARD_PATH, maybeViewerOf, setSessionCookie, viewerOf } from '../session.ts';

/** Where to go after signing in: a dashboard path only (never another site: `//evil`, `/dashboard@evil`). */
export function safeNext(value: unknown): string {
  return typeof value === 'string' && /^\/dashboard(\/[^\\]*)?(\?.*)?$/.test(value) && !value.startsWith('//') ? value : DASHBOARD_PATH;
}

export function sendPublicPage(res: Response, page: Page): void {
  res.status(page.status ?? 200).type('html').send(publicLayout(page).value);
}

const signInPage = (_req: Request): Page => ({
  title: 'Sign in',
  body: html`<p>Sign in with the link that <code>referloop user login-link --brand BRAND_ID --email you@example.com</code>
prints (the first <code>npm start</code> printed one for the demo brand). A link works once, for an hour.</p>`,
});

const linkPage = (req: Request): Page => ({
  title: 'Sign in to Referloop',
  body: html`<form method="post" action="${req.originalUrl}">
  <input type="hidden" name="next" value="${safeNext(req.query.next)}">
  <button type="submit">Sign in</button>
</form>`,
});

/** The pages anyone may open: sign-in, and a sign-in link's page and button. */
export function signInRoutes(deps: AppDeps): Router {
  const r = Router();
  r.get('/sign-in', (req, res) => {
    if (maybeViewerOf(res)) return res.redirect(303, safeNext(req.query.next));
    sendPublicPage(res, signInPage(req));
  });
  r.get('/sign-in/:token', (req, res) => sendPublicPage(res, linkPage(req)));
  r.post('/sign-in/:token', async (req, res) => {
    const now = deps.now();
    try {
      const session = await deps.queue.run(() => signInWithLink(deps.q, String(req.params.token), now));
      setSessionCookie(req, res, session.token);
      res.redirect(303, safeNext((req.body as Record<string, unknown> | undefined)?.next));
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
