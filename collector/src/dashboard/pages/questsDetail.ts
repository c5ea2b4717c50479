// /dashboard/quests/:id: one quest (GET /api/v1/quests/:id's use case): its facts, its tasks in order, each advocate's
// progress (tasks done of total, points awarded, completed at, the reward granted or why not), 20 advocates a page by
// cursor, highest advocate id first, or one advocate's; an owner changes its status (PATCH /quests/:id {status}).
import { Router } from 'express';
import type { AppDeps } from '../../app.ts';
import { toApiError } from '../../http/errors.ts';
import { parseQuery, pathId } from '../../http/query.ts';
import { QUEST_STATUSES, zQuestQuery, zUpdateQuestRequest } from '../../schemas/quests.ts';
import { getQuest, updateQuest, type ProgressView, type QuestDetail, type QuestView } from '../../services/quests.ts';
import { count, when } from '../format.ts';
import { html, type SafeHtml } from '../html.ts';
import { csrfField, type Page } from '../layout.ts';
import { action, field, page, problemOf, type FormBody, type FormProblem, type PageCtx } from '../page.ts';
import { badge, input, pager, problemSummary, table } from '../ui.ts';
import { ADVOCATES_PATH, givenFilters, isOwner, queryValues } from './advocates.ts';
import { CATALOGUE_PATH } from './catalogue.ts';
import { catalogueNames, ctxOf, QUESTS_PATH, rewardText } from './questsParts.ts';

const PROGRESS_PER_PAGE = 20;

type QuestStatus = (typeof QUEST_STATUSES)[number];
/** Each status's button, and what it means for the quest's tasks. */
const STATUS_ACTIONS: Record<QuestStatus, { button: string; meaning: string }> = {
  active: { button: 'Activate', meaning: 'its tasks can be completed (between its dates)' },
  draft: { button: 'Back to draft', meaning: 'its tasks cannot be completed until it is active again' },
  archived: { button: 'Archive', meaning: 'its tasks can no longer be completed; what advocates earned stays' },
};
const NOT_GRANTED: Record<NonNullable<ProgressView['reward_not_granted']>, string> = {
  out_of_stock: 'the reward was out of stock', archived: 'the reward was archived',
};

const questPath = (id: number) => `${QUESTS_PATH}/${id}`;

/** What the advocate got for completing the quest: its catalogue reward's redemption, why not, its points, or not yet. */
function rewardState(quest: QuestView, pr: ProgressView): SafeHtml {
  if (!pr.completed) return html`<span class="muted">not completed yet</span>`;
  if (pr.redemption_id !== null) return html`granted: <a href="${CATALOGUE_PATH}">redemption ${pr.redemption_id}</a>`;
  if (pr.reward_not_granted !== null) return html`${badge('not_granted')} ${NOT_GRANTED[pr.reward_not_granted]}`;
  return quest.reward?.type === 'points' ? html`granted: points, in the total` : html`<span class="muted">no reward</span>`;
}

function progressSection(p: PageCtx, d: QuestDetail, kept: Record<string, string>, problem: FormProblem | undefined): SafeHtml {
  const positions = new Map(d.tasks.map((t) => [t.id, t.position]));
  const rows = d.progress.map((pr) => html`<tr>
<td><a href="${ADVOCATES_PATH}/${pr.advocate_id}">advocate ${pr.advocate_id}</a></td>
<td class="num">${count(pr.tasks_completed)} of ${count(pr.tasks_total)}</td>
<td>${pr.completed_task_ids.map((id) => positions.get(id)).sort((a, b) => a! - b!).join(', ')}</td>
<td class="num">${count(pr.points_awarded)}</td>
<td>${pr.completed ? when(pr.completed_at) : html`<span class="muted">—</span>`}</td>
<td>${rewardState(d.quest, pr)}</td>
</tr>`);
  const head = html`<tr><th scope="col">Advocate</th><th scope="col" class="num">Tasks done</th><th scope="col">Which tasks</th>
<th scope="col" class="num">Points awarded</th><th scope="col">Completed</th><th scope="col">Reward</th></tr>`;
  const filter = html`<form method="get" action="${questPath(d.quest.id)}" class="card row" role="search" aria-label="One advocate's progress">
${input({ name: 'advocate_id', label: 'Advocate id', type: 'number', value: kept.advocate_id, problem, attrs: html` min="1" step="1"` })}
<div class="field"><button type="submit">Show</button></div>
${kept.advocate_id ? html`<div class="field"><a href="${questPath(d.quest.id)}">Every advocate</a></div>` : ''}
</form>`;
  const { cursor: _cursor, ...filters } = kept;
  return html`<section aria-labelledby="progress-h"><h2 id="progress-h">Progress</h2>
<p class="muted">The advocates with a task done, highest advocate id first, as <code>GET /api/v1/quests/${d.quest.id}</code> answers them.</p>
${problemSummary(problem)}
${filter}
${table('Each advocate\'s progress', head, problem ? [] : rows, problem ? 'Fix the filter above.' : 'No advocate has done a task yet.')}
${problem ? '' : pager(questPath(d.quest.id), filters, d.next_cursor, kept.cursor === undefined, { label: 'Progress pages' })}
</section>`;
}

function statusSection(p: PageCtx, quest: QuestView, problem: FormProblem | undefined): SafeHtml {
  const forms = QUEST_STATUSES.filter((s) => s !== quest.status).map((s) => html`<form method="post" action="${questPath(quest.id)}/status" class="inline"${s === 'archived' ? html` data-confirm="Archive ${quest.title}? ${STATUS_ACTIONS.archived.meaning}."` : ''}>
${csrfField(p.viewer)}<input type="hidden" name="status" value="${s}">
<button type="submit"${s === 'archived' ? html` class="danger"` : ''}>${STATUS_ACTIONS[s].button}</button></form>`);
  return html`<section aria-labelledby="status-h"><h2 id="status-h">Status</h2>
${problemSummary(problem)}
<p>It is ${badge(quest.status)}: ${STATUS_ACTIONS[quest.status].meaning}.</p>
<div class="card row">${forms}</div>
</section>`;
}

/** The quest's page; `refused`: the status change's problem, shown in its section. */
async function questPage(p: PageCtx, refused?: FormProblem): Promise<Page> {
  const ctx = ctxOf(p);
  const id = pathId(p.req.params.id, 'quest');
  const kept = givenFilters({ advocate_id: queryValues(p.req).advocate_id, cursor: queryValues(p.req).cursor });
  let detail: QuestDetail;
  let problem: FormProblem | undefined;
  let status: number | undefined;
  try {
    // GET /api/v1/quests/:id for the same advocate_id and cursor, 20 advocates a page.
    const { data: query } = parseQuery(zQuestQuery, { ...kept, limit: String(PROGRESS_PER_PAGE) });
    detail = await getQuest(ctx, id, { advocateId: query.advocate_id, limit: query.limit, before: query.cursor });
  } catch (err) {
    // A filter refused (a 400, or a 404 naming advocate_id): the quest all the same, the message beside the filter.
    const e = toApiError(err);
    if (!e || e.status >= 500 || !e.details?.some((x) => x.field === 'advocate_id' || x.field === 'cursor')) throw err;
    problem = problemOf(e, kept as FormBody);
    status = e.status;
    detail = await getQuest(ctx, id, { limit: 1 });
  }
  const q = detail.quest;
  const names = await catalogueNames(ctx);
  const taskRows = detail.tasks.map((t) => html`<tr><td class="num">${t.position}</td><td>${t.title}${t.description ? html`<br><span class="muted">${t.description}</span>` : ''}</td>
<td class="num">${count(t.points)}</td></tr>`);
  const owner = isOwner(p);
  const body = html`<p><a href="${QUESTS_PATH}">Back to the quests</a></p>
${owner ? '' : html`<p class="note" role="note">Your role is viewer: you see the quest and its progress, and only an owner of this brand can change it.</p>`}
${q.description ? html`<p>${q.description}</p>` : ''}
<dl class="card facts">
<dt>Status</dt><dd>${badge(q.status)}</dd>
<dt>Reward</dt><dd>${rewardText(q, names)}</dd>
<dt>Starts</dt><dd>${q.starts_at ? when(q.starts_at) : 'at once'}</dd>
<dt>Ends</dt><dd>${q.ends_at ? when(q.ends_at) : 'never'}</dd>
<dt>Tasks</dt><dd>${count(q.task_count)}</dd>
<dt>Created</dt><dd>${when(q.created_at)} · id ${q.id}</dd>
<dt>Changed</dt><dd>${when(q.updated_at)}</dd>
</dl>
${owner ? statusSection(p, q, refused) : ''}
<section aria-labelledby="tasks-h"><h2 id="tasks-h">Tasks</h2>
${table('The tasks, in order', html`<tr><th scope="col" class="num">#</th><th scope="col">Task</th><th scope="col" class="num">Points</th></tr>`, taskRows)}
</section>
${progressSection(p, detail, kept, problem)}`;
  return { title: q.title, nav: 'quests', body, ...(status ? { status } : {}) };
}

export function questDetailRoutes(deps: AppDeps): Router {
  const r = Router();
  r.get('/quests/:id', page(deps, (p) => questPage(p)));
  r.post('/quests/:id/status', action(deps, zUpdateQuestRequest, (form: FormBody) => ({ status: field(form, 'status') }), async (ctx, data, req) => {
    const quest = await updateQuest(ctx, pathId(req.params.id, 'quest'), data);
    return { redirect: questPath(quest.id), notice: `${quest.title} is ${quest.status}: ${STATUS_ACTIONS[quest.status].meaning}.` };
  }, (p, problem) => questPage(p, problem)));
  return r;
}
