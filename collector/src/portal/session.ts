// The portal's session steps: who is in (the rl_portal cookie, path /portal: the dashboard never sees it), sending
// everyone else to a page that says how to come in, and the CSRF token every changing form carries. The brand and the
// advocate always come from the session.
import type { Request, RequestHandler, Response } from 'express';
import { parse as parseCookies, serialize as serializeCookie } from 'cookie';
import type { AppDeps } from '../app.ts';
import { ApiError } from '../errors.ts';
import { sameToken } from '../dashboard/session.ts';
import { PORTAL_SESSION_MS } from '../domain/portal.ts';
import { PORTAL_PATH } from '../services/portal.ts';
import { portalViewer, touchPortalSession, type PortalViewer } from '../services/portalSessions.ts';

export { PORTAL_PATH };
export const PORTAL_COOKIE = 'rl_portal';
export const PORTAL_CSRF_FIELD = '_csrf';

export const advocateOf = (res: Response): PortalViewer => res.locals.portal as PortalViewer;
export const maybeAdvocateOf = (res: Response): PortalViewer | undefined => res.locals.portal as PortalViewer | undefined;

const cookieOptions = (req: Request, maxAgeS: number) => ({ httpOnly: true, sameSite: 'lax' as const, secure: req.secure, path: PORTAL_PATH, maxAge: maxAgeS });

export function setPortalCookie(req: Request, res: Response, token: string): void {
  res.append('Set-Cookie', serializeCookie(PORTAL_COOKIE, token, cookieOptions(req, PORTAL_SESSION_MS / 1000)));
}

export function clearPortalCookie(req: Request, res: Response): void {
  res.append('Set-Cookie', serializeCookie(PORTAL_COOKIE, '', cookieOptions(req, 0)));
}

/** Reads the session the cookie names (read-only connection); last seen is written at most once a minute, not awaited. */
export function loadAdvocate(deps: AppDeps): RequestHandler {
  return async (req, res, next) => {
    const token = parseCookies(req.headers.cookie ?? '')[PORTAL_COOKIE];
    if (token) {
      const now = deps.now();
      const viewer = await portalViewer(deps.rq, token, now);
      if (viewer) {
        res.locals.portal = viewer;
        if (viewer.stale) {
          deps.queue.run(() => touchPortalSession(deps.q, viewer.sessionHash, now))
            .catch((err: unknown) => deps.logger.warn({ err }, 'portal: could not note a session as seen'));
        }
      }
    }
    next();
  };
}

/** Nobody in: a 401 page that says how to come in (the portal has no password to sign in with). */
export const requireAdvocate: RequestHandler = (_req, res, next) => {
  if (maybeAdvocateOf(res)) return next();
  next(new ApiError(401, 'portal_signed_out', 'You are not in the portal: open the link you were sent (a link works once, for an hour), or ask for a new one'));
};

/** Every request that changes something carries the session's CSRF token: else a 403. */
export const checkPortalCsrf: RequestHandler = (req, res, next) => {
  if (req.method === 'GET' || req.method === 'HEAD') return next();
  const sent = (req.body as Record<string, unknown> | undefined)?.[PORTAL_CSRF_FIELD];
  if (typeof sent === 'string' && sameToken(sent, advocateOf(res).csrf)) return next();
  throw new ApiError(403, 'csrf_failed', 'This form was not sent from this portal session: reload the page and try again');
};
