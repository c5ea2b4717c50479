// The dashboard's side of the advocate portal (issue 14): an owner makes an advocate's single-use portal link
// (POST /api/v1/advocates/:id/portal-link's use case) from the advocate's page, and the answer shows it this once, to
// be sent to the advocate: it is kept only hashed, so it travels in no notice cookie and no redirect.
import { Router, type Request } from 'express';
import type { AppDeps } from '../../app.ts';
import { publicUrlOf } from '../../config.ts';
import { pathId } from '../../http/query.ts';
import { zNoFields } from '../../schemas/common.ts';
import { findAdvocate } from '../../services/advocates.ts';
import { createPortalLink } from '../../services/portal.ts';
import { when } from '../format.ts';
import { html, type SafeHtml } from '../html.ts';
import { csrfField, type Page } from '../layout.ts';
import { action, type FormProblem, type PageCtx } from '../page.ts';
import { DASHBOARD_PATH } from '../session.ts';
import { problemSummary } from '../ui.ts';
import { isOwner } from './advocates.ts';
import { copyBlock } from './settingsSnippets.ts';

const advocatePath = (id: number) => `${DASHBOARD_PATH}/advocates/${id}`;

/** For an owner, the advocate's "Make a portal link" form (none for a blocked advocate: the portal is closed to them). */
export function portalLinkButton(p: PageCtx, a: { id: number; status: string }): SafeHtml {
  if (!isOwner(p) || a.status === 'blocked') return html``;
  return html`<form class="inline" method="post" action="${advocatePath(a.id)}/portal-link">
${csrfField(p.viewer)}<button type="submit">Make a portal link</button>
<span class="hint">A link for the advocate alone, to open their portal once within the hour.</span>
</form>`;
}

function linkPage(advocate: { id: number; name: string }, link: { url: string; expires_at: string }): Page {
  return {
    title: `Portal link for ${advocate.name}`,
    nav: 'advocates',
    status: 201,
    body: html`<div class="card">
<p>Send this link to ${advocate.name} (by email, say). It opens their portal <strong>once</strong>, until
${when(link.expires_at)}; it is shown only now. Anyone holding it can enter their portal until it is used.</p>
${copyBlock('portal-link', 'The portal link', link.url, 'Copy the link')}
<p><a href="${advocatePath(advocate.id)}">Back to ${advocate.name}</a></p>
</div>`,
  };
}

function refused(p: PageCtx, problem: FormProblem): Page {
  return { title: 'No portal link', nav: 'advocates', body: html`${problemSummary(problem)}<p><a href="${advocatePath(pathId(p.req.params.id, 'advocate'))}">Back to the advocate</a></p>` };
}

const idOf = (req: Request) => pathId(req.params.id, 'advocate');

export function portalLinkRoutes(deps: AppDeps): Router {
  const r = Router();
  r.post('/advocates/:id/portal-link', action(deps, zNoFields, () => ({}), async (ctx, _data, req) => {
    const advocate = await findAdvocate(ctx, idOf(req));
    const link = await createPortalLink(ctx, advocate.id, publicUrlOf(deps.config));
    return { redirect: advocatePath(advocate.id), answer: () => linkPage(advocate, link) };
  }, refused));
  return r;
}
