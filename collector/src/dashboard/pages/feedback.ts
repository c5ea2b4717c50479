// /dashboard/feedback: feedback boards (the use cases of /api/v1/feedback and `referloop board` / `referloop idea`,
// services/feedback.ts): the brand's boards and a new one; a board's ideas as GET /feedback/boards/:id/ideas answers
// them (by status, newest first or by votes, 20 a page by cursor, with the total), each with its author, votes and
// status, and an owner's status change (PATCH /feedback/ideas/:id's use case: idea.status_changed).
import { Router, type Request } from 'express';
import type { AppDeps } from '../../app.ts';
import { IDEA_STATUSES, MAX_BOARDS } from '../../db/feedback.ts';
import { z } from 'zod';
import { pageOf, parseQuery, pathId, zPagination } from '../../http/query.ts';
import { zCreateBoardRequest, zIdeaListQuery, zIdeaStatusRequest } from '../../schemas/feedback.ts';
import { createBoard, getBoard, getIdea, listBoards, listIdeas, listVoters, setIdeaStatus, type IdeaView } from '../../services/feedback.ts';
import type { Ctx } from '../../services/context.ts';
import { count, when } from '../format.ts';
import { html, type SafeHtml } from '../html.ts';
import { csrfField, type Page } from '../layout.ts';
import { action, field, optional, page, type FormProblem, type PageCtx } from '../page.ts';
import { DASHBOARD_PATH } from '../session.ts';
import { badge, input, pager, problemSummary, select, table, textarea } from '../ui.ts';
import { ADVOCATES_PATH, filteredList, isOwner, queryValues } from './advocates.ts';
import { backTo, keptQuery, matching, withBoundedTotal } from './listReturn.ts';

export const FEEDBACK_PATH = `${DASHBOARD_PATH}/feedback`;
const BOARDS_PATH = `${FEEDBACK_PATH}/boards`;
const IDEAS_PER_PAGE = 20;
const VOTERS_PER_PAGE = 50;
/** The board page's query parameters a status change's redirect brings back (the page it was pressed on). */
const KEPT = ['status', 'sort', 'cursor'] as const;
const STATUS_LABELS = Object.fromEntries(IDEA_STATUSES.map((s) => [s, s.replace(/_/g, ' ')])) as Record<(typeof IDEA_STATUSES)[number], string>;

const ctxOf = (p: PageCtx): Ctx => ({ q: p.q, brand: p.brand, now: p.now });

async function boardsPage(p: PageCtx, problem?: FormProblem): Promise<Page> {
  const owner = isOwner(p);
  const boards = await listBoards(ctxOf(p));
  const rows = boards.map((b) => html`<tr>
<td><a href="${BOARDS_PATH}/${b.id}">${b.name}</a></td>
<td>${b.description ?? html`<span class="muted">—</span>`}</td>
<td>${when(b.created_at)}</td>
</tr>`);
  const head = html`<tr><th scope="col">Board</th><th scope="col">Description</th><th scope="col">Created</th></tr>`;
  return {
    title: 'Feedback',
    nav: 'feedback',
    body: html`<p>Boards where advocates post ideas and vote for them (one vote per advocate and idea), and where you say what
becomes of each idea. Ideas and votes come through <code>POST /api/v1/feedback/boards/:id/ideas</code> and
<code>POST /api/v1/feedback/ideas/:id/votes</code>; the same boards as <code>GET /api/v1/feedback/boards</code> and <code>referloop board list</code>.</p>
${owner ? '' : html`<p class="note" role="note">Your role is viewer: you see the boards and their ideas, and only an owner of this brand can change them.</p>`}
${table('Feedback boards, oldest first', head, rows, 'No board yet.')}
${owner ? html`<h2 id="new-board-title">New board</h2>
<form method="post" action="${BOARDS_PATH}" aria-labelledby="new-board-title" class="card" novalidate>
${csrfField(p.viewer)}
${problemSummary(problem)}
${input({ name: 'name', label: 'Name', required: true, problem, hint: 'e.g. "Product ideas"; at most 200 characters', attrs: html` maxlength="200" autocomplete="off"` })}
${textarea({ name: 'description', label: 'Description (optional)', problem, hint: 'at most 2,000 characters' })}
<p><button type="submit">Create the board</button></p>
<p class="muted">At most ${MAX_BOARDS} boards a brand.</p>
</form>` : ''}`,
  };
}

/** The query string as GET /feedback/boards/:id/ideas takes it (20 a page, with the total). */
const ideaQuery = (values: Record<string, string | undefined>): Record<string, string> => ({
  limit: String(IDEAS_PER_PAGE), ...Object.fromEntries(new URLSearchParams(keptQuery(values, KEPT))),
});

/** The page of the board's ideas, read as the API's route reads it (a page by votes' cursor carries the vote count). */
async function readIdeas(p: PageCtx, boardId: number, values: Record<string, string | undefined>) {
  const { data: query } = parseQuery(zIdeaListQuery, ideaQuery(values));
  return withBoundedTotal((withTotal) => listIdeas(ctxOf(p), boardId, { status: query.status, sort: query.sort ?? 'newest', votes: query.cursor?.votes },
    { ...pageOf({ ...query, cursor: query.cursor?.id }), withTotal }));
}

/** The names of the page's authors (a primary-key read each; an erased advocate keeps only the id). */
async function authorNames(p: PageCtx, ideas: IdeaView[]): Promise<Map<number, string>> {
  const names = new Map<number, string>();
  for (const id of new Set(ideas.map((i) => i.advocate_id))) {
    const advocate = await p.q.advocates.findById(p.brand.id, id);
    if (advocate?.name) names.set(id, advocate.name);
  }
  return names;
}

/** One idea's status form: its own select (an id of the idea's, so every row's label is its own). */
function statusForm(p: PageCtx, idea: IdeaView, back: string): SafeHtml {
  const id = `idea-status-${idea.id}`;
  return html`<form method="post" action="${FEEDBACK_PATH}/ideas/${idea.id}/status" class="inline">
${csrfField(p.viewer)}<input type="hidden" name="back" value="${back}">
<label for="${id}" class="visually-hidden">Status of idea ${idea.id}</label>
<select id="${id}" name="status">${IDEA_STATUSES.map((s) => html`<option value="${s}"${s === idea.status ? html` selected` : ''}>${STATUS_LABELS[s]}</option>`)}</select>
<button type="submit">Set<span class="visually-hidden"> the status of idea ${idea.id}</span></button></form>`;
}

async function boardPage(p: PageCtx, refused?: FormProblem, boardId = pathId(p.req.params.id, 'board')): Promise<Page> {
  const owner = isOwner(p);
  const board = await getBoard(ctxOf(p), boardId);
  const values = queryValues(p.req);
  const { list, problem } = await filteredList(values, () => readIdeas(p, board.id, values));
  const ideas = (list?.ideas ?? []) as IdeaView[];
  const names = await authorNames(p, ideas);
  const back = keptQuery(values, KEPT);
  const path = `${BOARDS_PATH}/${board.id}`;
  const sort = values.sort === 'votes' ? 'votes' : 'newest';
  const rows = ideas.map((i) => html`<tr>
<td><a href="${FEEDBACK_PATH}/ideas/${i.id}">${i.title}</a>${i.body ? html`<br><span class="muted">${i.body}</span>` : ''}</td>
<td><a href="${ADVOCATES_PATH}/${i.advocate_id}">${names.get(i.advocate_id) ?? `advocate ${i.advocate_id}`}</a></td>
<td class="num">${count(i.vote_count)}</td>
<td>${badge(i.status)}</td>
<td>${when(i.created_at)}</td>
${owner ? html`<td>${statusForm(p, i, back)}</td>` : ''}
</tr>`);
  const head = html`<tr><th scope="col">Idea</th><th scope="col">Posted by</th><th scope="col" class="num">Votes</th><th scope="col">Status</th>
<th scope="col">Posted</th>${owner ? html`<th scope="col"><span class="visually-hidden">Change the status</span></th>` : ''}</tr>`;
  const filters = html`<form class="card row" method="get" action="${path}" aria-label="Filter and sort the ideas">
${select({ name: 'status', label: 'Status', value: values.status ?? '', problem, options: [['', 'any'], ...IDEA_STATUSES.map((s) => [s, STATUS_LABELS[s]] as const)] })}
${select({ name: 'sort', label: 'Order', value: sort, problem, options: [['newest', 'newest first'], ['votes', 'most votes first']] })}
<div class="field"><button type="submit">Show</button></div>
</form>`;
  return {
    title: board.name,
    nav: 'feedback',
    body: html`<p><a href="${FEEDBACK_PATH}">Back to the boards</a></p>
${board.description ? html`<p>${board.description}</p>` : ''}
${owner ? '' : html`<p class="note" role="note">Your role is viewer: you see the ideas, and only an owner of this brand can change their status.</p>`}
${problemSummary(refused ?? problem)}
${filters}
${matching(list, 'idea', 'ideas')}
${table(`Ideas of ${board.name}, ${sort === 'votes' ? 'most votes first (ties: newest first)' : 'newest first'}`, head, rows, problem ? 'Fix the filter above.' : 'No idea matches.')}
${list ? pager(path, values, list.next_cursor, values.cursor === undefined, { label: 'Idea pages' }) : ''}`,
    ...(problem ? { status: 400 } : {}),
  };
}

const ideaIdOf = (req: Request): number => pathId(req.params.id, 'idea');

/** An idea and its voters, highest advocate id first, by cursor. */
async function ideaPage(p: PageCtx): Promise<Page> {
  const ctx = ctxOf(p);
  const idea = await getIdea(ctx, ideaIdOf(p.req));
  const board = await getBoard(ctx, idea.board_id);
  const { data: query } = parseQuery(z.object({ cursor: zPagination.cursor }), { cursor: queryValues(p.req).cursor });
  const list = await listVoters(ctx, idea.id, { before: query.cursor ?? null, limit: VOTERS_PER_PAGE });
  const author = (await authorNames(p, [idea])).get(idea.advocate_id) ?? `advocate ${idea.advocate_id}`;
  const rows = list.voters.map((v) => html`<tr>
<td><a href="${ADVOCATES_PATH}/${v.advocate_id}">${v.name || `advocate ${v.advocate_id}`}</a></td>
<td class="num">${v.advocate_id}</td>
<td>${when(v.created_at)}</td>
</tr>`);
  const head = html`<tr><th scope="col">Voter</th><th scope="col" class="num">Advocate id</th><th scope="col">Voted</th></tr>`;
  return {
    title: idea.title,
    nav: 'feedback',
    body: html`<p><a href="${BOARDS_PATH}/${board.id}">Back to ${board.name}</a></p>
${idea.body ? html`<p>${idea.body}</p>` : ''}
<dl class="card facts">
<dt>Posted by</dt><dd><a href="${ADVOCATES_PATH}/${idea.advocate_id}">${author}</a>, ${when(idea.created_at)}</dd>
<dt>Status</dt><dd>${badge(idea.status)}${idea.status_changed_at ? html` since ${when(idea.status_changed_at)}` : ''}</dd>
<dt>Votes</dt><dd>${count(idea.vote_count)}</dd>
</dl>
<h2>Voters</h2>
${table(`Voters of ${idea.title}, by advocate id (highest first)`, head, rows, 'No vote yet.')}
${pager(`${FEEDBACK_PATH}/ideas/${idea.id}`, {}, list.next_cursor, query.cursor === undefined, { label: 'Voter pages' })}`,
  };
}

export function feedbackPageRoutes(deps: AppDeps): Router {
  const r = Router();
  r.get('/feedback', page(deps, (p) => boardsPage(p)));
  r.post('/feedback/boards', action(deps, zCreateBoardRequest,
    (form) => ({ name: field(form, 'name'), description: optional(field(form, 'description')) }), async (ctx, data) => {
      const board = await createBoard(ctx, data);
      return { redirect: `${BOARDS_PATH}/${board.id}`, notice: `The board ${board.name} is created: advocates can post ideas in it.` };
    }, (p, problem) => boardsPage(p, problem)));
  r.get('/feedback/boards/:id', page(deps, (p) => boardPage(p)));
  r.get('/feedback/ideas/:id', page(deps, ideaPage));
  // A status change: PATCH /feedback/ideas/:id {status}'s schema and use case; back to the board as it was shown.
  r.post('/feedback/ideas/:id/status', action(deps, zIdeaStatusRequest, (form) => ({ status: field(form, 'status') }), async (ctx, data, req) => {
    const idea = await setIdeaStatus(ctx, ideaIdOf(req), data.status);
    return { redirect: backTo(`${BOARDS_PATH}/${idea.board_id}`, KEPT, field(req.body ?? {}, 'back')), notice: `The idea "${idea.title}" is ${STATUS_LABELS[idea.status]}.` };
  }, async (p, problem) => {
    // Refused (a status the API does not take): the idea's board again, with the message (another brand's idea: the 404 page).
    const idea = await getIdea(ctxOf(p), ideaIdOf(p.req));
    return boardPage(p, problem, idea.board_id);
  }));
  return r;
}
