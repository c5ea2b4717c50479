// The two shapes of a portal route, as dashboard/page.ts has them for the dashboard: a page (GET, read on the read-only
// connection for the session's brand, in the portal's layout, with the notice a form left) and an action (POST of a
// form, the CSRF token already checked by the router: the API's own schema with the advocate taken from the session,
// the use case in the commit queue, a 303 with a notice after COMMIT; a refusal below 500 renders the form's page again
// with the messages, nothing written). A 404 (another brand's or another advocate's id) stays the portal's 404 page.
import type { Request, RequestHandler, Response } from 'express';
import type { z } from 'zod';
import { parse as parseCookies, serialize as serializeCookie } from 'cookie';
import type { AppDeps } from '../app.ts';
import { badField } from '../errors.ts';
import { toApiError } from '../http/errors.ts';
import { withIdempotency } from '../http/idempotency.ts';
import { ok } from '../http/useCase.ts';
import { parseBody } from '../http/parse.ts';
import { isTokenShaped, newToken } from '../domain/sessions.ts';
import { html, type SafeHtml } from '../dashboard/html.ts';
import { field, problemOf, type FormBody, type FormProblem } from '../dashboard/page.ts';
import type { Ctx } from '../services/context.ts';
import type { PortalViewer } from '../services/portalSessions.ts';
import { portalLayout, type PortalPage } from './layout.ts';
import { advocateOf, PORTAL_PATH } from './session.ts';

const NOTICE_COOKIE = 'rl_portal_notice';

/** What a portal page is built from: the read-only connection's use-case context, the session's advocate, the request. */
export interface PortalCtx {
  ctx: Ctx;
  viewer: PortalViewer;
  /** the session's advocate's id: every read and write names it */
  advocateId: number;
  req: Request;
}

const noticeCookie = (req: Request, text: string, maxAgeS: number) =>
  serializeCookie(NOTICE_COOKIE, text, { httpOnly: true, sameSite: 'lax', secure: req.secure, path: PORTAL_PATH, maxAge: maxAgeS });

/** The page in the portal's layout, with the notice a form's redirect left (shown once, then cleared). */
export function sendPortalPage(req: Request, res: Response, page: PortalPage): void {
  const notice = parseCookies(req.headers.cookie ?? '')[NOTICE_COOKIE];
  if (notice !== undefined) res.append('Set-Cookie', noticeCookie(req, '', 0));
  const body = html`${notice ? html`<p class="notice" role="status">${notice.slice(0, 300)}</p>` : ''}${page.body}`;
  res.status(page.status ?? 200).type('html').send(portalLayout({ ...page, body }, advocateOf(res)).value);
}

const portalCtx = (deps: AppDeps, req: Request, res: Response): PortalCtx => {
  const viewer = advocateOf(res);
  return { ctx: { q: deps.rq, brand: viewer.brand, now: deps.now() }, viewer, advocateId: viewer.advocate.id, req };
};

/** GET: `build` renders the page from the read-only connection, for the session's brand and advocate. */
export function portalPage(deps: AppDeps, build: (p: PortalCtx) => PortalPage | Promise<PortalPage>): RequestHandler {
  return async (req, res) => {
    sendPortalPage(req, res, await build(portalCtx(deps, req, res)));
  };
}

export interface PortalDone {
  /** where the browser goes next (a path under /portal) */
  redirect: string;
  notice: string;
}

/**
 * POST of a form. `input` turns the posted strings into the API's request shape, with the advocate of the session
 * (never one the form names); `run` is the use case inside the commit queue, on the write connection, for the session's
 * brand. A refusal below 500 other than a 404 renders `refused` with the problem and its status; a 404 and a 5xx go to
 * the portal's error page.
 */
export function portalAction<S extends z.ZodType>(
  deps: AppDeps,
  schema: S,
  input: (form: FormBody, p: PortalCtx) => Record<string, unknown>,
  run: (ctx: Ctx, data: z.output<S>, p: PortalCtx) => PortalDone | Promise<PortalDone>,
  refused: (p: PortalCtx, problem: FormProblem) => PortalPage | Promise<PortalPage>,
): RequestHandler {
  return async (req, res) => {
    const form = (req.body ?? {}) as FormBody;
    const p = portalCtx(deps, req, res);
    let done: PortalDone;
    try {
      const { data } = parseBody(schema, input(form, p));
      done = await deps.queue.run(() => run({ ...p.ctx, q: deps.q }, data, p));
    } catch (err) {
      const e = toApiError(err);
      if (!e || e.status >= 500 || e.status === 404) throw err;
      sendPortalPage(req, res, { ...await refused(p, problemOf(e, form)), status: e.status });
      return;
    }
    res.append('Set-Cookie', noticeCookie(req, done.notice, 60));
    res.redirect(303, done.redirect);
  };
}

export const FORM_ID_FIELD = 'form_id';

/** A form's one-off id (a new one each time its page is rendered): what `oncePerForm` keys its answer by. */
export const formIdField = (): SafeHtml => html`<input type="hidden" name="${FORM_ID_FIELD}" value="${newToken()}">`;

/**
 * Runs `produce` once per form (its FORM_ID_FIELD), as an Idempotency-Key runs an API call once: the same form sent
 * twice (a double press, a resent POST) gets the first answer again and `replayed: true`, nothing done twice. The key
 * names the session's advocate, so a form id is no one else's; the answer is stored in the API's shape ({data: …}), so
 * a person's erasure finds it as it finds the API's. Inside the commit queue's job.
 */
export async function oncePerForm<T>(ctx: Ctx, p: PortalCtx, endpoint: string, body: unknown, produce: () => Promise<T>): Promise<{ data: T; replayed: boolean }> {
  const formId = field(p.req.body as FormBody, FORM_ID_FIELD);
  if (!isTokenShaped(formId)) throw badField(FORM_ID_FIELD, 'is missing or not this page\'s: reload the page and send the form again');
  let replayed = true;
  const answer = await withIdempotency(ctx.q, ctx.brand.id, `portal:${p.advocateId}:${formId}`, `portal ${endpoint}`, body, ctx.now, async () => {
    replayed = false;
    return ok(200, await produce());
  });
  return { data: (answer.body as { data: T }).data, replayed };
}
