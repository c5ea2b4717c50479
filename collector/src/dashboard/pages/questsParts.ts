// The pieces the quests' pages share (quests.ts, questsDetail.ts): their path, the use cases' context, a quest's reward in words.
import { listCatalogue } from '../../services/catalogue.ts';
import type { Ctx } from '../../services/context.ts';
import type { QuestView } from '../../services/quests.ts';
import { count } from '../format.ts';
import { html, type SafeHtml } from '../html.ts';
import type { PageCtx } from '../page.ts';
import { DASHBOARD_PATH } from '../session.ts';

export const QUESTS_PATH = `${DASHBOARD_PATH}/quests`;
export const ctxOf = (p: PageCtx): Ctx => ({ q: p.q, brand: p.brand, now: p.now });

/** The quest's reward in words: points, the catalogue reward's name (`names`: the brand's catalogue), or none. */
export function rewardText(quest: QuestView, names: ReadonlyMap<number, string>): SafeHtml {
  const r = quest.reward;
  if (r === null) return html`<span class="muted">none</span>`;
  if (r.type === 'points') return html`${count(r.points)} points`;
  return html`${names.get(r.reward_id) ?? `catalogue reward ${r.reward_id}`} <span class="muted">(catalogue reward ${r.reward_id})</span>`;
}

/** The catalogue's names by id (the whole catalogue: at most MAX_CATALOGUE_REWARDS). */
export const catalogueNames = async (ctx: Ctx): Promise<Map<number, string>> =>
  new Map((await listCatalogue(ctx, {})).map((r) => [r.id, r.name]));
