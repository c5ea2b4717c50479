// Dashboard users (/dashboard/users), owners only (a viewer gets 403 for the page and every form): the brand's
// users with role, password and status; invite one (email + role: the sign-in link is shown once, on the answer);
// a new link for a user; change a role; disable (their sessions end at once) or enable. Nobody changes their own
// role or disables themselves, so a brand always keeps the owner who is acting.
import { Router, type Request, type RequestHandler } from 'express';
import { z } from 'zod';
import type { AppDeps } from '../../app.ts';
import { publicUrlOf } from '../../config.ts';
import { zId } from '../../schemas/common.ts';
import { zCreateDashboardUser, zDashboardRole } from '../../schemas/dashboard.ts';
import type { Ctx } from '../../services/context.ts';
import {
  changeRole, createDashboardUser, listDashboardUsers, loginUrl, newLoginLink, setUserDisabled, userOfBrand, type PublicUser,
} from '../../services/dashboardUsers.ts';
import { when } from '../format.ts';
import { html, type SafeHtml } from '../html.ts';
import { csrfField, type Page } from '../layout.ts';
import { action, field, page, type Done, type FormProblem, type PageCtx } from '../page.ts';
import { requireOwner, viewerOf } from '../session.ts';
import { badge, input, problemSummary, select, table } from '../ui.ts';
import { copyBlock } from './settingsSnippets.ts';
import { USERS_PATH } from './settingsTabs.ts';

const ROLE_OPTIONS = [['viewer', 'viewer: reads only'], ['owner', 'owner: everything']] as const;

const ownerOnly: RequestHandler = (_req, res, next) => {
  requireOwner(res);
  next();
};

/** The signed-in owner acting (the action's use case gets the request, whose response holds the session). */
const actorOf = (req: Request): number => viewerOf(req.res!).user.user_id;

function userRow(p: PageCtx, u: PublicUser): SafeHtml {
  const self = u.user_id === p.viewer.user.user_id;
  const path = `${USERS_PATH}/${u.user_id}`;
  const label = `for ${u.email}`;
  return html`<tr>
<td>${u.email}${self ? html` <span class="muted">(you)</span>` : ''}</td>
<td>${u.role}</td>
<td>${u.has_password ? 'set' : 'not set'}</td>
<td>${badge(u.disabled ? 'disabled' : 'active')}</td>
<td>${when(u.created_at)}</td>
<td>${self ? html`<span class="muted">change it from another owner's account</span>` : html`<div class="row">
<form method="post" action="${path}/link" class="inline">${csrfField(p.viewer)}<button type="submit" class="secondary" aria-label="New sign-in link ${label}"${u.disabled ? html` disabled` : ''}>New sign-in link</button></form>
<form method="post" action="${path}/role" class="row">${csrfField(p.viewer)}
<label class="visually-hidden" for="role-${u.user_id}">Role ${label}</label>
<select id="role-${u.user_id}" name="role">${ROLE_OPTIONS.map(([v, l]) => html`<option value="${v}"${v === u.role ? html` selected` : ''}>${l}</option>`)}</select>
<button type="submit" class="secondary" aria-label="Change role ${label}">Change role</button></form>
<form method="post" action="${path}/${u.disabled ? 'enable' : 'disable'}" class="inline">${csrfField(p.viewer)}<button type="submit" class="${u.disabled ? 'secondary' : 'danger'}" aria-label="${u.disabled ? 'Enable' : 'Disable'} ${u.email}">${u.disabled ? 'Enable' : 'Disable'}</button></form>
</div>`}</td>
</tr>`;
}

async function usersPage(p: PageCtx, problem?: FormProblem): Promise<Page> {
  const users = await listDashboardUsers({ q: p.q, brand: p.brand });
  return {
    title: 'Dashboard users',
    nav: 'settings',
    body: html`<p>People who may sign in to this brand's dashboard. An <strong>owner</strong> may change everything; a
<strong>viewer</strong> reads only. Each signs in with a single-use link (valid one hour), then may set a password on their
account page. Disabling a user ends their sessions at once.</p>
${problemSummary(problem)}
${table('Users of this brand', html`<tr><th scope="col">Email</th><th scope="col">Role</th><th scope="col">Password</th><th scope="col">Status</th><th scope="col">Created</th><th scope="col">Actions</th></tr>`,
    users.map((u) => userRow(p, u)))}
<h2 id="invite-title">Invite a user</h2>
<form method="post" action="${USERS_PATH}" class="card" aria-labelledby="invite-title" novalidate>
${csrfField(p.viewer)}
${input({ name: 'email', label: 'Email', type: 'email', required: true, problem, attrs: html` autocomplete="off" maxlength="254"` })}
${select({ name: 'role', label: 'Role', value: 'viewer', options: ROLE_OPTIONS, problem })}
<p><button type="submit">Invite</button></p>
<p class="muted">No mail is sent: the next page shows the sign-in link once, to copy to them.</p>
</form>`,
  };
}

/** The answer to an invite or a new link: the link, this once (no-store, never in a cookie or a redirect). */
const linkPage = (email: string, link: string, made: boolean) => (p: PageCtx): Page => ({
  title: made ? 'User invited' : 'New sign-in link',
  nav: 'settings',
  status: made ? 201 : 200,
  body: html`<div class="card">
<p>${made ? html`<strong>${email}</strong> is a user of ${p.brand.name}. ` : ''}Send this sign-in link to <strong>${email}</strong>.
<strong>It is shown this once</strong>, works once, and expires in an hour (make another here if it does).</p>
${copyBlock('sign-in-link', `The sign-in link for ${email}`, link, 'Copy the link')}
<p><a href="${USERS_PATH}">Back to the users</a></p>
</div>`,
});

const zUserId = z.object({ user_id: zId });
const zUserRole = z.object({ user_id: zId, role: zDashboardRole });
const idOf = (_form: unknown, req: Request) => ({ user_id: req.params.id });

export function userRoutes(deps: AppDeps): Router {
  const r = Router();
  const urlOf = (token: string) => loginUrl(publicUrlOf(deps.config), token);
  const refused = (p: PageCtx, problem: FormProblem) => usersPage(p, problem);
  const done = (notice: string): Done => ({ redirect: USERS_PATH, notice });
  r.use('/users', ownerOnly);
  r.get('/users', page(deps, (p) => usersPage(p)));
  r.post('/users', action(deps, zCreateDashboardUser, (form) => ({ email: field(form, 'email'), role: field(form, 'role') }),
    async (ctx: Ctx, data) => {
      const { user, token } = await createDashboardUser(ctx, data);
      return { redirect: USERS_PATH, answer: linkPage(user.email, urlOf(token), true) };
    }, refused));
  r.post('/users/:id/link', action(deps, zUserId, idOf, async (ctx, { user_id }) => {
    const { user, token } = await newLoginLink(ctx, await userOfBrand(ctx, user_id));
    return { redirect: USERS_PATH, answer: linkPage(user.email, urlOf(token), false) };
  }, refused));
  r.post('/users/:id/role', action(deps, zUserRole, (form, req) => ({ user_id: req.params.id, role: field(form, 'role') }), async (ctx, { user_id, role }, req) => {
    const user = await changeRole(ctx, actorOf(req), user_id, role);
    return done(`${user.email} is now ${user.role === 'owner' ? 'an owner' : 'a viewer'}.`);
  }, refused));
  for (const [verb, disabled] of [['disable', true], ['enable', false]] as const) {
    r.post(`/users/:id/${verb}`, action(deps, zUserId, idOf, async (ctx, { user_id }, req) => {
      const user = await setUserDisabled(ctx, actorOf(req), user_id, disabled);
      return done(disabled ? `${user.email} is disabled: their sessions have ended.` : `${user.email} may sign in again.`);
    }, refused));
  }
  return r;
}
