// /portal/quests: the brand's active quests, each with its tasks (points), its reward and this advocate's progress, as
// GET /api/v1/quests?status=active and GET /quests/:id?advocate_id= answer them. Read only: the shop completes tasks
// through the API (POST /quests/:id/complete), so nothing here posts.
import { Router } from 'express';
import { z } from 'zod';
import type { AppDeps } from '../../app.ts';
import { parseQuery, zQueryInt } from '../../http/query.ts';
import { listCatalogue } from '../../services/catalogue.ts';
import { getQuest, listQuests, type QuestDetail, type QuestView } from '../../services/quests.ts';
import { count, when } from '../../dashboard/format.ts';
import { html, type SafeHtml } from '../../dashboard/html.ts';
import { table } from '../../dashboard/ui.ts';
import { portalPage, type PortalCtx } from '../forms.ts';
import type { PortalPage } from '../layout.ts';
import { PORTAL_PATH } from '../session.ts';

export const QUESTS_PATH = `${PORTAL_PATH}/quests`;
/** Quests a page: each is three reads (the quest, its tasks, this advocate's progress). */
const PER_PAGE = 10;

const zQuestsQuery = z.object({ page: zQueryInt(1, 1_000).optional() });

function rewardText(quest: QuestView, rewardNames: Map<number, string>): string {
  if (quest.reward?.type === 'catalogue') return `${rewardNames.get(quest.reward.reward_id) ?? `Reward ${quest.reward.reward_id}`} from the catalogue`;
  if (quest.reward?.type === 'points') return `${count(quest.reward.points)} bonus points`;
  return 'no reward beyond the tasks\' points';
}

/** Whether the quest's tasks can be done now (the dates the use case checks: quest_closed otherwise). */
function openText(quest: QuestView, now: string): SafeHtml {
  if (quest.starts_at !== null && now < quest.starts_at) return html`Starts ${when(quest.starts_at)}`;
  if (quest.ends_at !== null && now >= quest.ends_at) return html`Ended ${when(quest.ends_at)}`;
  return quest.ends_at !== null ? html`Open until ${when(quest.ends_at)}` : html`Open`;
}

/** The catalogue reward of a completed quest: its redemption (on the rewards page), or why it was not granted. */
function grantText(progress: QuestDetail['progress'][number]): SafeHtml {
  if (progress.redemption_id !== null) {
    return html` Its reward is <a href="${PORTAL_PATH}/rewards/redemptions/${progress.redemption_id}">redemption ${progress.redemption_id}</a>.`;
  }
  if (progress.reward_not_granted === 'out_of_stock') return html` Its reward was out of stock when you completed it, so it was not given.`;
  if (progress.reward_not_granted === 'archived') return html` Its reward was no longer offered when you completed it, so it was not given.`;
  return html``;
}

function questSection({ quest, tasks, progress }: QuestDetail, rewardNames: Map<number, string>, now: string): SafeHtml {
  const mine = progress[0];
  const done = new Set(mine?.completed_task_ids ?? []);
  const rows = tasks.map((task) => html`<tr>
<td class="num">${task.position}</td>
<th scope="row">${task.title}${task.description ? html`<br><span class="muted">${task.description}</span>` : ''}</th>
<td class="num">${count(task.points)}</td>
<td>${done.has(task.id) ? html`<span class="status status-approved">done</span>` : html`<span class="status status-pending">to do</span>`}</td>
</tr>`);
  const status = mine?.completed
    ? html`<p data-quest-progress="${quest.id}"><strong>Completed</strong> ${when(mine.completed_at)}: ${count(mine.points_awarded)} points earned.${grantText(mine)}</p>`
    : html`<p data-quest-progress="${quest.id}">${count(mine?.tasks_completed ?? 0)} of ${count(quest.task_count)} tasks done; ${count(mine?.points_awarded ?? 0)} points earned so far.</p>`;
  return html`<section aria-labelledby="quest-${quest.id}-h" class="card">
<h2 id="quest-${quest.id}-h">${quest.title}</h2>
${quest.description ? html`<p>${quest.description}</p>` : ''}
<p class="muted">${openText(quest, now)}. Reward for completing every task: ${rewardText(quest, rewardNames)}.</p>
${status}
${table(`${quest.title}: its tasks`, html`<tr><th scope="col" class="num">Step</th><th scope="col">Task</th><th scope="col" class="num">Points</th>
<th scope="col">You</th></tr>`, rows, 'No task.')}
</section>`;
}

async function questsPage(p: PortalCtx): Promise<PortalPage> {
  const { data: query } = parseQuery(zQuestsQuery, p.req.query);
  const page = query.page ?? 1;
  const active = await listQuests(p.ctx, 'active');
  const shown = active.slice((page - 1) * PER_PAGE, page * PER_PAGE);
  const [details, catalogue] = await Promise.all([
    Promise.all(shown.map((q) => getQuest(p.ctx, q.id, { advocateId: p.advocateId }))),
    shown.some((q) => q.reward?.type === 'catalogue') ? listCatalogue(p.ctx, {}) : Promise.resolve([]),
  ]);
  const rewardNames = new Map(catalogue.map((r) => [r.id, r.name]));
  const now = p.ctx.now.toISOString();
  return {
    title: 'Quests',
    nav: 'quests',
    body: html`<p>Each task you do earns its points; doing every task of a quest earns its reward too. The shop marks a task
done when you have done it: there is nothing to press here.</p>
${details.length ? details.map((d) => questSection(d, rewardNames, now)) : html`<p class="muted">No quest is running now.</p>`}
${active.length > PER_PAGE ? html`<nav class="pager" aria-label="Quest pages">
${page > 1 ? html`<a href="${QUESTS_PATH}?page=${page - 1}">Previous quests</a>` : ''}
${page * PER_PAGE < active.length ? html`<a href="${QUESTS_PATH}?page=${page + 1}">More quests</a>` : ''}
</nav>` : ''}`,
  };
}

export function questRoutes(deps: AppDeps): Router {
  const r = Router();
  r.get('/quests', portalPage(deps, questsPage));
  return r;
}
