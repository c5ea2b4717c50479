// The dashboard's error pages: a refusal (ApiError below 500: 403, 404, a CSRF failure…) is a page that says what
// happened, in the layout when someone is signed in; anything else is logged and shown as a plain 500 page.
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { ApiError } from '../errors.ts';
import { setRetryAfter, toApiError } from '../http/errors.ts';
import { html } from './html.ts';
import { layout, publicLayout, type Page } from './layout.ts';
import { DASHBOARD_PATH, maybeViewerOf } from './session.ts';

const TITLES: Record<number, string> = { 400: 'Not understood', 403: 'Not allowed', 404: 'Not found', 413: 'Too large', 429: 'Too many attempts', 503: 'Busy' };

export const dashboardNotFound: RequestHandler = (_req, _res, next) => {
  next(new ApiError(404, 'page_not_found', 'There is no dashboard page at this address'));
};

export function dashboardErrors(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const e = toApiError(err) ?? new ApiError(500, 'internal_error', 'Something went wrong on our side; it has been logged');
    if (e.status >= 500) logger.error({ err, method: req.method, path: req.path }, 'dashboard request failed');
    if (res.headersSent) return;
    setRetryAfter(res, e);
    const page: Page = {
      title: TITLES[e.status] ?? (e.status >= 500 ? 'Something went wrong' : 'Refused'),
      status: e.status,
      body: html`<p>${e.message}.</p><p><a href="${DASHBOARD_PATH}">Back to the overview</a></p>`,
    };
    const viewer = maybeViewerOf(res);
    res.status(e.status).type('html').send((viewer ? layout(page, viewer) : publicLayout(page)).value);
  };
}
