// The dashboard's parts of self sign-up (issue 14): a pending advocate's Approve button (on the advocates list, whose
// status=pending filter lists the sign-ups waiting, and on the advocate's page), its action, and an advocate's last
// visit to the portal (the newest last_seen_at of their portal sessions, q.portal.lastSeen).
import { Router, type Request } from 'express';
import type { AppDeps } from '../../app.ts';
import { ApiError } from '../../errors.ts';
import { pathId } from '../../http/query.ts';
import { zNoFields } from '../../schemas/common.ts';
import { approveSignUp } from '../../services/signups.ts';
import { when } from '../format.ts';
import { html, type SafeHtml } from '../html.ts';
import { csrfField, type Page } from '../layout.ts';
import { action, type FormProblem, type PageCtx } from '../page.ts';
import { problemSummary } from '../ui.ts';
import { DASHBOARD_PATH } from '../session.ts';
// advocates.ts imports this module: only its functions are used here, at request time (its constants are not yet set
// while this module loads).
import { isOwner } from './advocates.ts';

const ADVOCATES = `${DASHBOARD_PATH}/advocates`;
/** The advocates list of the sign-ups waiting for approval. */
export const PENDING_PATH = `${ADVOCATES}?status=pending`;

/** For an owner, a pending advocate's Approve button (POST /dashboard/advocates/:id/approve); nothing otherwise. */
export function approveButton(p: PageCtx, a: { id: number; name: string; status: string }): SafeHtml {
  if (!isOwner(p) || a.status !== 'pending') return html``;
  return html`<form class="inline" method="post" action="${ADVOCATES}/${a.id}/approve">
${csrfField(p.viewer)}<button type="submit" aria-label="Approve ${a.name}">Approve</button>
</form>`;
}

/** When the advocate was last seen in the portal (at most a minute off: a session's last visit is noted once a minute). */
export async function lastSeenLine(p: PageCtx, advocateId: number): Promise<SafeHtml> {
  const at = await p.q.portal.lastSeen(p.brand.id, advocateId);
  return html`<p>Last seen in the portal: ${at ? when(at) : 'never'}</p>`;
}

function notApproved(_p: PageCtx, problem: FormProblem): Page {
  return { title: 'Not approved', nav: 'advocates', body: html`${problemSummary(problem)}<p><a href="${PENDING_PATH}">Back to the pending sign-ups</a></p>` };
}

const idOf = (req: Request) => pathId(req.params.id, 'advocate');

export function signUpRoutes(deps: AppDeps): Router {
  const r = Router();
  // PATCH /advocates/:id {status: active} for a pending advocate only (anything else: a 409 page, nothing changed).
  r.post('/advocates/:id/approve', action(deps, zNoFields, () => ({}), async (ctx, _data, req) => {
    const a = await approveSignUp(ctx, idOf(req));
    if (!a.approved) throw new ApiError(409, 'not_pending', `${a.name} is ${a.status}, not pending: there is nothing to approve`);
    return { redirect: PENDING_PATH, notice: `${a.name} is approved: active, their codes attribute from now on` };
  }, notApproved));
  return r;
}
