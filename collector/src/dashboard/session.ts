// The dashboard's session steps: who is signed in (the session cookie), sending everyone else to sign-in, the CSRF
// token every changing form carries, and the cookies themselves. The brand always comes from the session.
import { timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import { parse as parseCookies, serialize as serializeCookie, type SerializeOptions } from 'cookie';
import type { AppDeps } from '../app.ts';
import { ApiError } from '../errors.ts';
import { SESSION_ABSOLUTE_MS } from '../domain/sessions.ts';
import { sessionViewer, touchSession, type Viewer } from '../services/dashboardUsers.ts';

export const DASHBOARD_PATH = '/dashboard';
export const SESSION_COOKIE = 'rl_session';
const NOTICE_COOKIE = 'rl_notice';
/** The sign-in form's double-submit CSRF token (pages/signIn.ts), before any session exists. */
export const SIGN_IN_COOKIE = 'rl_signin';
const SIGN_IN_COOKIE_S = 60 * 60;

/** The signed-in user of this request (after requireViewer). */
export const viewerOf = (res: Response): Viewer => res.locals.viewer as Viewer;
export const maybeViewerOf = (res: Response): Viewer | undefined => res.locals.viewer as Viewer | undefined;
export const cookiesOf = (res: Response): Record<string, string | undefined> => (res.locals.cookies ?? {}) as Record<string, string | undefined>;

/** Secure whenever the browser reached us over https (directly, or through a trusted proxy's X-Forwarded-Proto). */
const cookieOptions = (req: Request, maxAgeS?: number): SerializeOptions => ({
  httpOnly: true, sameSite: 'lax', secure: req.secure, path: DASHBOARD_PATH, ...(maxAgeS !== undefined ? { maxAge: maxAgeS } : {}),
});

export function setSessionCookie(req: Request, res: Response, token: string): void {
  res.append('Set-Cookie', serializeCookie(SESSION_COOKIE, token, cookieOptions(req, SESSION_ABSOLUTE_MS / 1000)));
}

export function clearSessionCookie(req: Request, res: Response): void {
  res.append('Set-Cookie', serializeCookie(SESSION_COOKIE, '', cookieOptions(req, 0)));
}

export function setSignInCookie(req: Request, res: Response, token: string): void {
  res.append('Set-Cookie', serializeCookie(SIGN_IN_COOKIE, token, cookieOptions(req, SIGN_IN_COOKIE_S)));
}

export function clearSignInCookie(req: Request, res: Response): void {
  res.append('Set-Cookie', serializeCookie(SIGN_IN_COOKIE, '', cookieOptions(req, 0)));
}

/** A one-line notice shown on the next page (after a form's redirect), then cleared. */
export function setNotice(req: Request, res: Response, text: string): void {
  res.append('Set-Cookie', serializeCookie(NOTICE_COOKIE, text, cookieOptions(req, 60)));
}

/** The notice a form left for this page, cleared as it is read. */
export function takeNotice(req: Request, res: Response): string | undefined {
  const text = cookiesOf(res)[NOTICE_COOKIE];
  if (text === undefined) return undefined;
  res.append('Set-Cookie', serializeCookie(NOTICE_COOKIE, '', cookieOptions(req, 0)));
  return text.slice(0, 300);
}

/**
 * Reads the cookies and the session they name (on the read-only connection). A session last seen over a minute ago
 * is touched through the commit queue, not awaited: the idle clock needs minutes, not every request.
 */
export function loadViewer(deps: AppDeps): RequestHandler {
  return async (req, res, next) => {
    const cookies = parseCookies(req.headers.cookie ?? '');
    res.locals.cookies = cookies;
    const token = cookies[SESSION_COOKIE];
    if (token) {
      const now = deps.now();
      const viewer = await sessionViewer(deps.rq, token, now);
      if (viewer) {
        res.locals.viewer = viewer;
        if (viewer.stale) {
          deps.queue.run(() => touchSession(deps.q, viewer.sessionHash, now))
            .catch((err: unknown) => deps.logger.warn({ err }, 'dashboard: could not note a session as seen'));
        }
      }
    }
    next();
  };
}

/** Signed out (or expired): GET pages send the browser to sign-in and back; anything else is sent to sign-in. */
export const requireViewer: RequestHandler = (req, res, next) => {
  if (maybeViewerOf(res)) return next();
  const back = req.method === 'GET' ? req.originalUrl : DASHBOARD_PATH;
  res.redirect(303, `${DASHBOARD_PATH}/sign-in?next=${encodeURIComponent(back)}`);
};

/** Two tokens compared in constant time. */
export const sameToken = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

export const CSRF_FIELD = '_csrf';

/** Every request that changes something carries the session's CSRF token as the form field `_csrf`: else a 403. */
export const checkCsrf: RequestHandler = (req, res, next) => {
  if (req.method === 'GET' || req.method === 'HEAD') return next();
  const sent = (req.body as Record<string, unknown> | undefined)?.[CSRF_FIELD];
  if (typeof sent === 'string' && sameToken(sent, viewerOf(res).csrf)) return next();
  throw new ApiError(403, 'csrf_failed', 'This form was not sent from this dashboard session, or the session changed: reload the page and try again');
};

/** A change by a viewer: 403. */
export function requireOwner(res: Response): void {
  if (viewerOf(res).user.role !== 'owner') {
    throw new ApiError(403, 'owner_only', 'Your role is viewer: only an owner of this brand can change it');
  }
}
