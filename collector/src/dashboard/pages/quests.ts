// /dashboard/quests: the brand's quests (the use cases of /api/v1/quests and of `referloop quest`, services/quests.ts):
// the list by status, each with its tasks, reward, dates and status; a new quest (its tasks, a reward in points or
// from the catalogue, dates, status) through POST /quests's schema; one quest's page (questsDetail.ts) with its tasks,
// each advocate's progress and its status changed.
import { Router } from 'express';
import type { AppDeps } from '../../app.ts';
import { ApiError } from '../../errors.ts';
import { parseQuery } from '../../http/query.ts';
import { QUEST_STATUSES, zCreateQuestRequest, zQuestListQuery } from '../../schemas/quests.ts';
import { listCatalogue } from '../../services/catalogue.ts';
import { createQuest, listQuests } from '../../services/quests.ts';
import { count, when } from '../format.ts';
import { html, type SafeHtml } from '../html.ts';
import { csrfField, type Page } from '../layout.ts';
import { action, field, optional, page, type FormBody, type FormProblem, type PageCtx } from '../page.ts';
import { badge, input, problemSummary, select, table, textarea } from '../ui.ts';
import { filteredList, givenFilters, isOwner, queryValues } from './advocates.ts';
import { questDetailRoutes } from './questsDetail.ts';
import { catalogueNames, ctxOf, QUESTS_PATH, rewardText } from './questsParts.ts';

/** The new quest form's task rows: the empty ones are left out (no script adds rows). */
const TASK_ROWS = 8;

async function questList(p: PageCtx): Promise<Page> {
  const values = queryValues(p.req);
  const { list, problem } = await filteredList(values, async () => {
    const { data: query } = parseQuery(zQuestListQuery, givenFilters({ status: values.status }));
    return listQuests(ctxOf(p), query.status);
  });
  const names = await catalogueNames(ctxOf(p));
  const rows = (list ?? []).map((q) => html`<tr>
<td><a href="${QUESTS_PATH}/${q.id}">${q.title}</a>${q.description ? html`<br><span class="muted">${q.description}</span>` : ''}</td>
<td class="num">${count(q.task_count)}</td>
<td>${rewardText(q, names)}</td>
<td>${when(q.starts_at)}</td>
<td>${when(q.ends_at)}</td>
<td>${badge(q.status)}</td>
</tr>`);
  const head = html`<tr><th scope="col">Quest</th><th scope="col" class="num">Tasks</th><th scope="col">Reward</th>
<th scope="col">Starts</th><th scope="col">Ends</th><th scope="col">Status</th></tr>`;
  const filter = html`<form method="get" action="${QUESTS_PATH}" class="card row" aria-label="Filter the quests">
${select({ name: 'status', label: 'Status', value: values.status ?? '', problem, options: [['', 'any'], ...QUEST_STATUSES.map((s) => [s, s] as const)] })}
<div class="field"><button type="submit">Show</button></div></form>`;
  const body = html`<p>Tasks advocates complete for points, and a reward (points or a catalogue reward) once they have done them all.
Tasks are completed through <code>POST /api/v1/quests/:id/complete</code> while the quest is active and between its dates;
the same quests as <code>GET /api/v1/quests</code> and <code>referloop quest list</code>.</p>
${isOwner(p) ? html`<p><a class="button" href="${QUESTS_PATH}/new">New quest</a></p>`
    : html`<p class="note" role="note">Your role is viewer: you see the quests and their progress, and only an owner of this brand can change them.</p>`}
${problemSummary(problem)}
${filter}
${table('Quests, oldest first', head, rows, problem ? 'Fix the filter above.' : 'No quest yet.')}`;
  return { title: 'Quests', nav: 'quests', body, ...(problem ? { status: 400 } : {}) };
}

// ---- the new quest's form

const taskName = (row: number, part: 'title' | 'points') => `tasks.${row}.${part}`;

/** The task rows filled in (a title or points given), in the form's order: the API's tasks[0], tasks[1]… */
const filledRows = (form: FormBody): number[] => Array.from({ length: TASK_ROWS }, (_, i) => i)
  .filter((i) => field(form, taskName(i, 'title')).trim() !== '' || field(form, taskName(i, 'points')).trim() !== '');

/** The reward fields as POST /quests's `reward`: none (''), points, or a catalogue reward (another type: the API names it). */
function rewardInput(form: FormBody): unknown {
  const type = field(form, 'reward.type');
  if (type === '') return null;
  if (type === 'points') return { type, points: field(form, 'reward.points') };
  if (type === 'catalogue') return { type, reward_id: field(form, 'reward.reward_id') };
  return { type };
}

const newQuestInput = (form: FormBody) => ({
  title: field(form, 'title'),
  description: optional(field(form, 'description')),
  tasks: filledRows(form).map((i) => ({ title: field(form, taskName(i, 'title')), points: field(form, taskName(i, 'points')) })),
  reward: rewardInput(form),
  status: optional(field(form, 'status')),
  starts_at: optional(field(form, 'starts_at')),
  ends_at: optional(field(form, 'ends_at')),
});

/** The API names tasks by their place among the rows filled in (tasks.1.points): back to the form's row it came from. */
function onFormRows(problem: FormProblem): FormProblem {
  const rows = filledRows(problem.values);
  const fields = Object.fromEntries(Object.entries(problem.fields).map(([name, message]) => {
    const m = /^tasks\.(\d+)\.(.+)$/.exec(name);
    const row = m ? rows[Number(m[1])] : undefined;
    return [row === undefined ? name : `tasks.${row}.${m![2]}`, message];
  }));
  // The message at the top names the row as the form labels it ("Task 3 points: …"), not the API's index.
  const message = problem.message.replace(/\btasks\.(\d+)\.(title|points)\b/g, (all, i: string, part: string) =>
    rows[Number(i)] === undefined ? all : `Task ${rows[Number(i)]! + 1} ${part}`);
  return { ...problem, message, fields };
}

function taskRows(problem: FormProblem | undefined): SafeHtml {
  const tasksError = problem?.fields.tasks;
  const rows = Array.from({ length: TASK_ROWS }, (_, i) => html`<div class="row">
${input({ name: taskName(i, 'title'), label: `Task ${i + 1}: title`, problem, attrs: html` maxlength="200" autocomplete="off"` })}
${input({ name: taskName(i, 'points'), label: `Task ${i + 1}: points`, type: 'number', problem, attrs: html` min="0" step="1"` })}
</div>`);
  return html`<fieldset class="card"${tasksError ? html` aria-describedby="f-tasks-error"` : ''}>
<legend>Tasks, in order</legend>
<p class="hint">At least one; a task's points go once to each advocate who completes it (0 for none). Leave the rows you do not need empty.
The tasks of a quest never change once it is created.</p>
${tasksError ? html`<p><span class="field-error" id="f-tasks-error">${tasksError}</span></p>` : ''}
${rows}
</fieldset>`;
}

async function rewardFieldset(p: PageCtx, problem: FormProblem | undefined): Promise<SafeHtml> {
  // Only active catalogue rewards can be a quest's reward (services/quests.ts checks it again).
  const active = await listCatalogue(ctxOf(p), { status: 'active' });
  return html`<fieldset class="card">
<legend>Reward for completing every task</legend>
${select({ name: 'reward.type', label: 'Reward', problem, options: [['', 'None'], ['points', 'Points'], ['catalogue', 'A reward from the catalogue']] })}
${input({ name: 'reward.points', label: 'Points (for a reward in points)', type: 'number', problem, attrs: html` min="1" step="1"` })}
${select({
    name: 'reward.reward_id', label: 'Catalogue reward (for a catalogue reward)', problem,
    hint: active.length ? 'Granted once per advocate as a pending redemption of 0 points, one unit of a limited stock taken' : 'The catalogue has no active reward',
    options: [['', 'Choose a reward'], ...active.map((r) => [String(r.id), `${r.name} (${r.stock === null ? 'unlimited' : `${count(r.stock)} left`})`] as const)],
  })}
</fieldset>`;
}

async function newQuestPage(p: PageCtx, problem?: FormProblem): Promise<Page> {
  const body = html`<p><a href="${QUESTS_PATH}">Back to the quests</a></p>
<form method="post" action="${QUESTS_PATH}" aria-label="New quest" novalidate>
${csrfField(p.viewer)}
${problemSummary(problem)}
<div class="card">
${input({ name: 'title', label: 'Title', required: true, problem, hint: 'At most 200 characters', attrs: html` maxlength="200" autocomplete="off"` })}
${textarea({ name: 'description', label: 'Description (optional)', problem })}
</div>
${taskRows(problem)}
${await rewardFieldset(p, problem)}
<fieldset class="card">
<legend>When and status</legend>
${input({ name: 'starts_at', label: 'Starts on (optional)', type: 'date', problem, hint: 'From 00:00 UTC that day; empty: at once' })}
${input({ name: 'ends_at', label: 'Ends on (optional)', type: 'date', problem, hint: 'From 00:00 UTC that day no task can be completed; empty: never' })}
${select({ name: 'status', label: 'Status', value: 'active', problem, options: [['active', 'active: tasks can be completed'], ['draft', 'draft: not yet']] })}
</fieldset>
<p><button type="submit">Create the quest</button></p>
</form>`;
  return { title: 'New quest', nav: 'quests', body };
}

export function questPageRoutes(deps: AppDeps): Router {
  const r = Router();
  r.get('/quests', page(deps, questList));
  r.get('/quests/new', page(deps, (p) => {
    if (!isOwner(p)) throw new ApiError(403, 'owner_only', 'Your role is viewer: only an owner of this brand can change it');
    return newQuestPage(p);
  }));
  r.post('/quests', action(deps, zCreateQuestRequest, newQuestInput, async (ctx, data) => {
    const quest = await createQuest(ctx, data);
    return { redirect: `${QUESTS_PATH}/${quest.id}`, notice: `${quest.title} is created (${quest.status}) with ${count(quest.task_count)} ${quest.task_count === 1 ? 'task' : 'tasks'}.` };
  }, (p, problem) => newQuestPage(p, onFormRows(problem))));
  r.use(questDetailRoutes(deps));
  return r;
}
