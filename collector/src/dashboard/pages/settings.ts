// /dashboard/settings: the programme (every field of GET/PATCH /api/v1/settings, the API's schema and use case) and
// the allowed origins; the routes of the settings sub-pages (API keys, script tag) are mounted here too.
import { Router } from 'express';
import { z } from 'zod';
import type { AppDeps } from '../../app.ts';
import { ApiError } from '../../errors.ts';
import { parseBody } from '../../http/parse.ts';
import { zOrigin, zSettingsPatch } from '../../schemas/settings.ts';
import { settingsView, updateSettings, type SettingsView } from '../../services/settings.ts';
import type { Ctx } from '../../services/context.ts';
import { html, type SafeHtml } from '../html.ts';
import { csrfField, type Page } from '../layout.ts';
import { action, field, page, type FormProblem, type PageCtx } from '../page.ts';
import { input, problemSummary, select, table } from '../ui.ts';
import { embedRoutes } from './settingsEmbed.ts';
import { keyRoutes } from './settingsKeys.ts';
import { decimalAttrs, programmeInput, ruleFieldset, ruleInputs, wholeAttrs } from './programmeFields.ts';
import { isOwner, readOnlyNote, SETTINGS_PATH, settingsTabs } from './settingsTabs.ts';

/** The fields of the programme form, in the API's names; each is sent when the form carries it. */
const PROGRAMME_FIELDS = [
  'attribution_model', 'attribution_window_days', 'referee_discount_type', 'referee_discount_value',
  'referrer_reward_type', 'referrer_reward_value', 'level2_reward_type', 'level2_reward_value',
  'cooling_period_days', 'min_payout', 'currency', 'allow_negative_points', 'visit_retention_days', 'respect_gpc', 'sso_auto_enrol',
] as const;

function programmeForm(p: PageCtx, s: SettingsView, problem: FormProblem | undefined): SafeHtml {
  const owner = isOwner(p);
  const f = (o: Parameters<typeof input>[0]) => input({ ...o, problem });
  const sel = (o: Parameters<typeof select>[0]) => select({ ...o, problem });
  // The programme's rules are the default campaign's: the same inputs as a campaign's form.
  const rules = ruleInputs(s, s.currency, problem);
  // A viewer gets the same fields disabled, outside any form: nothing to send.
  const fields = html`
${problemSummary(problem)}
${ruleFieldset('Attribution', !owner, html`${sel({ name: 'attribution_model', label: 'Attribution model', value: s.attribution_model, options: [['first_touch', 'First touch: the first advocate who referred the customer'], ['last_touch', 'Last touch: the most recent one']] })}
${rules.window}`)}
${ruleFieldset('Discount for the referred customer', !owner, rules.discount)}
${ruleFieldset('Reward for the advocate', !owner, rules.reward)}
${ruleFieldset('Level 2: the advocate who referred the advocate', !owner, rules.level2)}
${ruleFieldset('Commissions, payouts and points', !owner, html`${rules.cooling}
${f({ name: 'min_payout', label: `Minimum payout (${s.currency})`, value: s.min_payout.toFixed(2), hint: 'Advocates whose payout subtotal is below it roll over to the next run; 0 pays every amount.', attrs: decimalAttrs })}
${f({ name: 'currency', label: 'Currency', value: s.currency, hint: 'ISO 4217 code such as USD or EUR. Amounts already recorded are not converted: change it before the first order.', attrs: html` autocomplete="off" maxlength="3" class="short"` })}
${sel({ name: 'allow_negative_points', label: 'Points balance below zero', value: String(s.allow_negative_points), options: [['false', 'Not allowed: a deduction beyond the balance is refused'], ['true', 'Allowed']] })}`)}
${ruleFieldset("Visitors' privacy", !owner, html`${f({ name: 'visit_retention_days', label: 'Keep visits for (days)', value: s.visit_retention_days, hint: 'Visits older than this are deleted in the background: 1 to 3650 days. Leave it empty to keep them.', attrs: wholeAttrs })}
${sel({ name: 'respect_gpc', label: 'Global Privacy Control (Sec-GPC: 1)', value: String(s.respect_gpc), options: [['false', 'Not honoured: such a visit is recorded like any other'], ['true', 'Honoured: a visit sent with it is not recorded']] })}
${sel({ name: 'sso_auto_enrol', label: 'Single sign-on: an unmapped customer', value: String(s.sso_auto_enrol), options: [['true', 'Enrolled by their email and mapped'], ['false', 'Refused (404) until an operator maps them']] })}`)}
`;
  return owner
    ? html`<form method="post" action="${SETTINGS_PATH}" class="settings-form" novalidate>${csrfField(p.viewer)}${fields}
<p><button type="submit">Save the programme</button></p>
</form>`
    : html`<div class="settings-form">${fields}</div>`;
}

function originsSection(p: PageCtx, s: SettingsView, problem: FormProblem | undefined): SafeHtml {
  const owner = isOwner(p);
  const rows = s.allowed_origins.map((origin) => html`<tr><td><code>${origin}</code></td>${owner ? html`<td>
<form method="post" action="${SETTINGS_PATH}/origins/remove" class="inline" data-confirm="${`Stop accepting the tracker's calls from ${origin}?`}">
${csrfField(p.viewer)}<input type="hidden" name="origin" value="${origin}">
<button type="submit" class="secondary">Remove<span class="visually-hidden"> ${origin}</span></button>
</form></td>` : ''}</tr>`);
  return html`<section>
<h2 id="origins-title">Allowed origins</h2>
<p class="muted">The tracker's calls (the script tag, with the publishable key) are accepted only from pages of these origins.</p>
${table('Allowed origins', html`<tr><th scope="col">Origin</th>${owner ? html`<th scope="col"><span class="visually-hidden">Action</span></th>` : ''}</tr>`, rows,
    'No origin yet: the tracker is refused on every site until one is added.')}
${owner ? html`<form method="post" action="${SETTINGS_PATH}/origins" class="card row" novalidate>
${csrfField(p.viewer)}
${problemSummary(problem)}
${input({ name: 'origin', label: 'Add an origin', hint: 'Scheme and host, such as https://shop.example (a path is dropped); at most 50.', problem, attrs: html` inputmode="url" autocomplete="off"` })}
<button type="submit">Add origin</button>
</form>` : ''}
</section>`;
}

type Problems = { programme?: FormProblem; origins?: FormProblem };

export function settingsPage(p: PageCtx, problems: Problems = {}): Page {
  const s = settingsView(p.brand);
  return {
    title: 'Settings',
    nav: 'settings',
    body: html`${settingsTabs(p, 'programme')}
${readOnlyNote(p)}
<dl class="brand-facts">
<div><dt>Brand</dt><dd>${s.name}</dd></div>
<div><dt>Brand id</dt><dd><code>${s.brand_id}</code></dd></div>
<div><dt>Plan</dt><dd>${s.plan} <span class="muted">(an operator changes it with <code>referloop settings set plan=…</code>)</span></dd></div>
</dl>
<h2>Programme</h2>
${programmeForm(p, s, problems.programme)}
${originsSection(p, s, problems.origins)}`,
  };
}

/** The origins as committed now (read locked inside the commit queue: two owners adding at once both keep theirs). */
const originsNow = async (ctx: Ctx): Promise<string[]> => (await ctx.q.brands.getBrandForUpdate(ctx.brand.id) ?? ctx.brand).allowedOrigins;

/** The brand's origins after `change`, checked by the API's schema (at most 50) and saved by its use case. */
async function saveOrigins(ctx: Ctx, change: (origins: string[]) => string[]): Promise<SettingsView> {
  const { data } = parseBody(zSettingsPatch, { allowed_origins: change(await originsNow(ctx)) });
  return updateSettings(ctx, data);
}

const zOriginForm = z.object({ origin: zOrigin });
const zOriginRemoval = z.object({ origin: z.string({ error: 'is required' }) });

/** A refusal of the whole list (at most 50) is shown beside the one origin field. */
const onOriginField = (problem: FormProblem): FormProblem => {
  const listProblem = problem.fields.allowed_origins;
  return listProblem && !problem.fields.origin ? { ...problem, fields: { ...problem.fields, origin: listProblem } } : problem;
};

export function settingsRoutes(deps: AppDeps): Router {
  const r = Router();
  r.get('/settings', page(deps, (p) => settingsPage(p)));
  r.post('/settings', action(deps, zSettingsPatch, (form) => programmeInput(form, PROGRAMME_FIELDS),
    async (ctx, patch) => {
      await updateSettings(ctx, patch);
      return { redirect: SETTINGS_PATH, notice: 'The programme is saved: the next conversion of an advocate in the default campaign uses it.' };
    },
    (p, problem) => settingsPage(p, { programme: problem })));

  r.post('/settings/origins', action(deps, zOriginForm, (form) => ({ origin: field(form, 'origin') }),
    async (ctx, { origin }) => {
      const already = (await originsNow(ctx)).includes(origin);
      if (!already) await saveOrigins(ctx, (origins) => [...origins, origin]);
      return { redirect: SETTINGS_PATH, notice: already ? `${origin} was already allowed.` : `${origin} is allowed: the tracker's calls from it are accepted.` };
    },
    (p, problem) => settingsPage(p, { origins: onOriginField(problem) })));

  r.post('/settings/origins/remove', action(deps, zOriginRemoval, (form) => ({ origin: field(form, 'origin') }),
    async (ctx, { origin }) => {
      if (!(await originsNow(ctx)).includes(origin)) {
        throw new ApiError(404, 'not_found', `${origin} is not an allowed origin of this brand`, [{ field: 'origin', message: 'is not among the allowed origins' }]);
      }
      await saveOrigins(ctx, (origins) => origins.filter((o) => o !== origin));
      return { redirect: SETTINGS_PATH, notice: `${origin} is removed: the tracker's calls from it are refused.` };
    },
    (p, problem) => settingsPage(p, { origins: problem })));

  r.use(keyRoutes(deps));
  r.use(embedRoutes(deps));
  return r;
}
