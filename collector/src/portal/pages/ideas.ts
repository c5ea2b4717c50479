// /portal/ideas: the brand's feedback boards (GET /api/v1/feedback/boards), a board's ideas by votes or newest with their
// status (GET /feedback/boards/:id/ideas, 20 a page by its cursor), an idea posted as the session's advocate (POST
// /feedback/boards/:id/ideas, once per form) and a vote (POST /feedback/ideas/:id/votes: one per advocate and idea; a
// second changes nothing and says so). Another brand's board or idea is a 404, as in the API.
import { Router, type Request } from 'express';
import type { AppDeps } from '../../app.ts';
import { pageOf, parseQuery, pathId } from '../../http/query.ts';
import { zCreateIdeaRequest, zIdeaListQuery, zVoteRequest } from '../../schemas/feedback.ts';
import { getBoard, getIdea, listBoards, listIdeas, postIdea, voteForIdea, type IdeaView } from '../../services/feedback.ts';
import { count, when } from '../../dashboard/format.ts';
import { html, type SafeHtml } from '../../dashboard/html.ts';
import { field, optional, type FormBody, type FormProblem } from '../../dashboard/page.ts';
import { badge, input, pager, problemSummary, table, textarea } from '../../dashboard/ui.ts';
import { formIdField, oncePerForm, portalAction, portalPage, type PortalCtx } from '../forms.ts';
import { portalCsrfField, type PortalPage } from '../layout.ts';
import { PORTAL_PATH } from '../session.ts';

export const IDEAS_PATH = `${PORTAL_PATH}/ideas`;
const PER_PAGE = 20;
type Sort = 'votes' | 'newest';

const boardPath = (boardId: number, sort: Sort = 'votes') => `${IDEAS_PATH}/boards/${boardId}${sort === 'votes' ? '' : '?sort=newest'}`;
/** The order a form came from, to go back to it ('votes' unless it says newest). */
const sortOf = (form: FormBody): Sort => (field(form, 'sort') === 'newest' ? 'newest' : 'votes');

async function boardsPage(p: PortalCtx): Promise<PortalPage> {
  const boards = await listBoards(p.ctx);
  return {
    title: 'Ideas',
    nav: 'ideas',
    body: html`<p>Suggest what ${p.viewer.brand.name} could do better, and vote for the ideas you want most: one vote per idea.</p>
${boards.length ? html`<ul class="stack">${boards.map((b) => html`<li><a href="${boardPath(b.id)}">${b.name}</a>${b.description ? html` <span class="muted">${b.description}</span>` : ''}</li>`)}</ul>`
    : html`<p class="muted">The shop has no feedback board yet.</p>`}`,
  };
}

function ideaRow(p: PortalCtx, idea: IdeaView, voted: boolean, sort: Sort): SafeHtml {
  return html`<tr>
<th scope="row">${idea.title}${idea.body ? html`<br><span class="muted">${idea.body}</span>` : ''}${idea.advocate_id === p.advocateId ? html` <span class="muted">(yours)</span>` : ''}</th>
<td>${badge(idea.status)}</td>
<td class="num">${count(idea.vote_count)}</td>
<td>${when(idea.created_at)}</td>
<td>${voted ? html`<span class="muted">You voted</span>` : html`<form method="post" action="${IDEAS_PATH}/${idea.id}/vote" class="inline">
${portalCsrfField(p.viewer)}<input type="hidden" name="sort" value="${sort}">
<button type="submit">Vote<span class="visually-hidden"> for ${idea.title}</span></button></form>`}</td>
</tr>`;
}

async function boardPage(p: PortalCtx, boardId: number, problem?: FormProblem): Promise<PortalPage> {
  const board = await getBoard(p.ctx, boardId);
  const { data: query } = parseQuery(zIdeaListQuery, { ...p.req.query, limit: String(PER_PAGE) });
  const sort: Sort = query.sort ?? 'votes';
  const list = await listIdeas(p.ctx, boardId, { status: query.status, sort, votes: query.cursor?.votes }, pageOf({ ...query, cursor: query.cursor?.id }));
  const ideas = list.ideas as IdeaView[];
  // Whether this advocate voted for each idea shown: one lookup of the vote's UNIQUE key per idea.
  const voted = await Promise.all(ideas.map(async (i) => (await p.ctx.q.feedback.vote(p.ctx.brand.id, i.id, p.advocateId)) !== undefined));
  const sortLink = (s: Sort, label: string) => html`<a href="${boardPath(boardId, s)}"${s === sort ? html` aria-current="true"` : ''}>${label}</a>`;
  return {
    title: board.name,
    nav: 'ideas',
    body: html`${board.description ? html`<p>${board.description}</p>` : ''}
<p><a href="${IDEAS_PATH}">All boards</a></p>
<form method="post" action="${IDEAS_PATH}/boards/${board.id}/ideas" class="card" aria-labelledby="new-idea-h" novalidate>
<h2 id="new-idea-h">Suggest an idea</h2>
${portalCsrfField(p.viewer)}${formIdField()}<input type="hidden" name="sort" value="${sort}">
${problemSummary(problem)}
${input({ name: 'title', label: 'Your idea, in a line', required: true, problem, attrs: html` maxlength="200" autocomplete="off"` })}
${textarea({ name: 'body', label: 'More about it (optional)', problem })}
<p><button type="submit">Post the idea</button></p>
</form>
<h2 id="ideas-h">Ideas</h2>
<nav aria-label="Order of the ideas" class="pager">${sortLink('votes', 'Most votes first')} ${sortLink('newest', 'Newest first')}</nav>
${table(`Ideas, ${sort === 'votes' ? 'most votes first' : 'newest first'}`, html`<tr><th scope="col">Idea</th><th scope="col">Status</th>
<th scope="col" class="num">Votes</th><th scope="col">Posted</th><th scope="col"><span class="visually-hidden">Your vote</span></th></tr>`,
    ideas.map((i, n) => ideaRow(p, i, voted[n]!, sort)), 'No idea yet: be the first.')}
${pager(`${IDEAS_PATH}/boards/${board.id}`, { sort: sort === 'newest' ? 'newest' : undefined }, list.next_cursor, query.cursor === undefined, { label: 'Idea pages' })}`,
  };
}

const boardIdOf = (req: Request): number => pathId(req.params.id, 'board');
const ideaIdOf = (req: Request): number => pathId(req.params.id, 'idea');

export function ideaRoutes(deps: AppDeps): Router {
  const r = Router();
  r.get('/ideas', portalPage(deps, boardsPage));
  r.get('/ideas/boards/:id', portalPage(deps, (p) => boardPage(p, boardIdOf(p.req))));
  // POST /feedback/boards/:id/ideas {advocate_id, title, body} for the session's advocate, once per form.
  r.post('/ideas/boards/:id/ideas', portalAction(deps, zCreateIdeaRequest, (form, p) => ({
    advocate_id: p.advocateId, title: field(form, 'title'), body: optional(field(form, 'body')),
  }), async (ctx, data, p) => {
    const boardId = boardIdOf(p.req);
    const { replayed } = await oncePerForm(ctx, p, 'feedback/boards/:id/ideas', { board_id: boardId, ...data }, async () => ({ idea: await postIdea(ctx, boardId, data) }));
    return {
      redirect: boardPath(boardId, sortOf(p.req.body as FormBody)),
      notice: replayed ? 'This form was already sent: your idea was posted once.' : 'Your idea is posted: others can vote for it now.',
    };
  }, (p, problem) => boardPage(p, boardIdOf(p.req), problem)));
  // POST /feedback/ideas/:id/votes {advocate_id}: the vote's UNIQUE key counts it once, whatever is pressed.
  r.post('/ideas/:id/vote', portalAction(deps, zVoteRequest, (_form, p) => ({ advocate_id: p.advocateId }), async (ctx, data, p) => {
    const { idea, created } = await voteForIdea(ctx, ideaIdOf(p.req), data);
    return {
      redirect: boardPath(idea.board_id, sortOf(p.req.body as FormBody)),
      notice: created ? `Your vote for "${idea.title}" is counted: ${count(idea.vote_count)} in all.`
        : `You had already voted for "${idea.title}": one vote per idea, so nothing changed (${count(idea.vote_count)} in all).`,
    };
  }, async (p, problem) => boardPage(p, (await getIdea(p.ctx, ideaIdOf(p.req))).board_id, problem)));
  return r;
}
