// What the campaign pages and the advocate page share: the addresses, a campaign's status in words, its rules in one
// line, and the campaign form's strings as POST /campaigns and PATCH /campaigns/:id take them.
import { toHundredths } from '../../domain/money.ts';
import { html, type SafeHtml } from '../html.ts';
import { money } from '../format.ts';
import { field, optional, type FormBody, type FormProblem } from '../page.ts';
import { DASHBOARD_PATH } from '../session.ts';
import { badge, select } from '../ui.ts';
import { ACTION_FIELDS, programmeInput, RULE_FIELDS, type Rules } from './programmeFields.ts';

export const CAMPAIGNS_PATH = `${DASHBOARD_PATH}/campaigns`;
export const campaignPath = (id: number): string => `${CAMPAIGNS_PATH}/${id}`;

/** A campaign's status, and "default" beside it for the brand's default campaign (a word each, never colour alone). */
export const campaignState = (c: { status: string; is_default: boolean }): SafeHtml =>
  html`${badge(c.status)}${c.is_default ? html` <span class="status status-default">default</span>` : ''}`;

/** A (type, value) pair as the API answers it, in words: "10 %", "$4.99", "10 points". */
function amount(type: string, value: number, currency: string): string {
  if (type === 'percentage') return `${value} %`;
  if (type === 'fixed') return money(toHundredths(value), currency);
  return `${value} points`;
}

const days = (n: number) => `${n} day${n === 1 ? '' : 's'}`;

/** A campaign's rules in one line, as its advocates earn by them. */
export function rulesSummary(r: Rules, currency: string): string {
  return [
    `advocate earns ${amount(r.referrer_reward_type, r.referrer_reward_value, currency)}`,
    `customer gets ${amount(r.referee_discount_type, r.referee_discount_value, currency)} off`,
    `level 2: ${r.level2_reward_type === 'none' ? 'none' : amount(r.level2_reward_type, r.level2_reward_value, currency)}`,
    `approved after ${days(r.cooling_period_days)}`,
    `window ${days(r.attribution_window_days)}`,
  ].join(' · ');
}

/** The campaign form (name and rules) as the API's body: every field the form carries is sent, as a PATCH of them. */
export const campaignInput = (form: FormBody): Record<string, unknown> => ({
  name: field(form, 'name'),
  signup: optional(field(form, 'signup')),
  ...programmeInput(form, RULE_FIELDS),
  ...programmeInput(form, ACTION_FIELDS),
});

/** The campaign's self sign-up setting (PATCH /campaigns/:id {signup}): who may join it from its public page. */
export const signupField = (value: string, problem: FormProblem | undefined): SafeHtml => select({
  name: 'signup', label: 'Self sign-up', value, problem,
  options: [['closed', 'Closed: no sign-up page'], ['approval', 'With approval: sign-ups wait as pending advocates'], ['open', 'Open: sign-ups are active at once']],
  hint: 'Its page is /portal/join/<brand id>/<campaign id> on this collector; pending sign-ups are approved on Advocates',
});
