// The dashboard's error pages: a refusal (ApiError below 500: 403, 404, a CSRF failure…) is a page that says what
// happened, in the layout when someone is signed in; anything else is logged and shown as a plain 500 page.
import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { ApiError } from '../errors.ts';
import { setRetryAfter, toApiError } from '../http/errors.ts';
import { html } from './html.ts';
import { layout, publicLayout, type Page } from './layout.ts';
import { DASHBOARD_PATH, maybeViewerOf } from './session.ts';

const TITLES: Record<number, string> = { 400: 'Not understood', 401: 'Not signed in', 403: 'Not allowed', 404: 'Not found', 413: 'Too large', 429: 'Too many attempts', 503: 'Busy' };

export const dashboardNotFound: RequestHandler = (_req, _res, next) => {
  next(new ApiError(404, 'page_not_found', 'There is no dashboard page at this address'));
};

/** What an error page is made of; `render` puts it in a layout (signed in, or not). */
export interface ErrorPage { title: string; status: number; message: string }

/**
 * The error handler of a set of server-rendered pages (the dashboard's, the portal's): an ApiError below 500 is a page
 * that says what happened (with TITLES), anything else is logged as `<what> request failed` and a plain 500 page.
 */
export function pageErrors(logger: Logger, what: string, render: (res: Response, page: ErrorPage) => string): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const e = toApiError(err) ?? new ApiError(500, 'internal_error', 'Something went wrong on our side; it has been logged');
    if (e.status >= 500) logger.error({ err, method: req.method, path: req.path }, `${what} request failed`);
    if (res.headersSent) return;
    setRetryAfter(res, e);
    const title = TITLES[e.status] ?? (e.status >= 500 ? 'Something went wrong' : 'Refused');
    res.status(e.status).type('html').send(render(res, { title, status: e.status, message: e.message }));
  };
}

export const dashboardErrors = (logger: Logger): ErrorRequestHandler => pageErrors(logger, 'dashboard', (res, { title, status, message }) => {
  const page: Page = { title, status, body: html`<p>${message}.</p><p><a href="${DASHBOARD_PATH}">Back to the overview</a></p>` };
  const viewer = maybeViewerOf(res);
  return (viewer ? layout(page, viewer) : publicLayout(page)).value;
});
