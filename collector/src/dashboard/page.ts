// The two shapes of a dashboard route, as readCase / writeCase are for the API: a page (GET: due rewards settled,
// read on the read-only connection, rendered in the layout) and an action (POST of a form: owner only, the
// CSRF token already checked, the API's own schema, the use case in the commit queue, a 303 after COMMIT; a
// refusal below 500 renders the form's page again with the messages, nothing written).
import type { Request, RequestHandler, Response } from 'express';
import type { z } from 'zod';
import type { AppDeps } from '../app.ts';
import { ApiError } from '../errors.ts';
import { toApiError } from '../http/errors.ts';
import { settledBrand } from '../http/manage.ts';
import { parseBody } from '../http/parse.ts';
import type { Queries } from '../db/queries.ts';
import type { Brand } from '../db/brands.ts';
import type { Viewer } from '../services/dashboardUsers.ts';
import type { Ctx } from '../services/context.ts';
import { layout, type Page } from './layout.ts';
import { requireOwner, setNotice, takeNotice, viewerOf } from './session.ts';

/** What a page is built from: the read-only connection's queries, the session's brand and user, the request. */
export interface PageCtx {
  q: Queries;
  brand: Brand;
  now: Date;
  viewer: Viewer;
  req: Request;
  deps: AppDeps;
}

/** A form's fields as posted (application/x-www-form-urlencoded: strings, or arrays of them for repeated names). */
export type FormBody = Record<string, string | string[] | undefined>;

/** Why a form was refused: the message, and per field (the API's field names) what is wrong. */
export interface FormProblem {
  message: string;
  fields: Record<string, string>;
  /** what was posted, to fill the form in again */
  values: FormBody;
}

export function sendPage(req: Request, res: Response, page: Page): void {
  const body = layout(page, viewerOf(res), takeNotice(req, res)).value;
  res.status(page.status ?? 200).type('html').send(body);
}

async function pageCtx(deps: AppDeps, req: Request, res: Response): Promise<PageCtx> {
  const viewer = viewerOf(res);
  const now = deps.now();
  // As the API's reads do: a reward whose cooling period has ended is shown approved (jobs/settlement.ts); a backlog
  // longer than one request waits for goes on in the background and the page is a 503 that says so.
  await settledBrand(deps, viewer.brand, now);
  return { q: deps.rq, brand: viewer.brand, now, viewer, req, deps };
}

/** GET: `build` renders the page's content from the read-only connection. */
export function page(deps: AppDeps, build: (p: PageCtx) => Page | Promise<Page>): RequestHandler {
  return async (req, res) => {
    sendPage(req, res, await build(await pageCtx(deps, req, res)));
  };
}

export interface Done {
  /** where the browser goes next (a path under /dashboard) */
  redirect: string;
  /** a line shown there */
  notice?: string;
  /**
   * Instead of the redirect, this page is answered at once (after COMMIT): for what is shown once and stored
   * nowhere in the clear (a new key), which must not travel in a notice cookie or a redirect URL.
   */
  answer?: (p: PageCtx) => Page | Promise<Page>;
}

/**
 * POST of a form. `input` turns the posted strings into the API's request shape (numbers, booleans, arrays);
 * `schema` is the API's schema, so the messages are the API's; `run` is the use case, inside the commit queue on
 * the write connection. A refusal (400 from the schema, 404, 409… from the use case) renders `refused` with the
 * problem and the error's status; a 5xx goes to the error page.
 */
export function action<S extends z.ZodType>(
  deps: AppDeps,
  schema: S,
  input: (form: FormBody, req: Request) => Record<string, unknown>,
  run: (ctx: Ctx, data: z.output<S>, req: Request) => Done | Promise<Done>,
  refused: (p: PageCtx, problem: FormProblem) => Page | Promise<Page>,
): RequestHandler {
  return async (req, res) => {
    requireOwner(res);
    const form = (req.body ?? {}) as FormBody;
    const p = await pageCtx(deps, req, res);
    let done: Done;
    try {
      const { data } = parseBody(schema, input(form, req));
      done = await deps.queue.run(() => run({ q: deps.q, brand: p.brand, now: p.now }, data, req));
    } catch (err) {
      const e = toApiError(err);
      if (!e || e.status >= 500) throw err;
      const page = await refused(p, problemOf(e, form));
      sendPage(req, res, { ...page, status: e.status });
      return;
    }
    if (done.answer) {
      sendPage(req, res, await done.answer(p));
      return;
    }
    if (done.notice) setNotice(req, res, done.notice);
    res.redirect(303, done.redirect);
  };
}

export function problemOf(e: ApiError, values: FormBody): FormProblem {
  const fields: Record<string, string> = {};
  for (const d of e.details ?? []) if (d.field && !(d.field in fields)) fields[d.field] = d.message;
  return { message: e.message, fields, values };
}

/** The first value posted under `name` ('' when none). */
export const field = (form: FormBody, name: string): string => {
  const v = form[name];
  return (Array.isArray(v) ? v[0] : v) ?? '';
};

/** Every value posted under `name` (checkbox lists). */
export const fields = (form: FormBody, name: string): string[] => {
  const v = form[name];
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
};

/** '' -> undefined, so an empty optional input means "not given" to the API's schema. */
export const optional = (value: string): string | undefined => (value.trim() === '' ? undefined : value);
