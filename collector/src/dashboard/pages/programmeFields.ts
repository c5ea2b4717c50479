// A campaign's rules as form fields (the API's names and units), shared by the settings' programme form (the default
// campaign's rules) and the campaign pages; and the posted strings as the API's schema takes them.
import type { actionsView } from '../../services/campaigns.ts';
import type { programmeView } from '../../services/settings.ts';
import { html, type SafeHtml } from '../html.ts';
import { field, type FormBody, type FormProblem } from '../page.ts';
import { input, select } from '../ui.ts';

/** A campaign's rules as the API answers them (GET /settings' programme fields, GET /campaigns/:id). */
export type Rules = ReturnType<typeof programmeView>;

/** The rule fields of a campaign, in the API's names (POST /campaigns, PATCH /campaigns/:id). */
export const RULE_FIELDS = [
  'attribution_window_days', 'referee_discount_type', 'referee_discount_value', 'referrer_reward_type', 'referrer_reward_value',
  'level2_reward_type', 'level2_reward_value', 'cooling_period_days',
] as const;

/** A campaign's action rewards, in the API's names (a campaign's own: the settings' form has none of them). */
export const ACTION_FIELDS = [
  'enrolment_reward_type', 'enrolment_reward_value', 'clicks_reward_type', 'clicks_reward_value', 'clicks_threshold', 'clicks_reward_repeats',
  'shares_reward_type', 'shares_reward_value', 'shares_threshold', 'shares_reward_repeats',
] as const;

/** A (type, value) pair's value field and its type field. */
const VALUE_TYPES: Record<string, string> = {
  enrolment_reward_value: 'enrolment_reward_type',
  clicks_reward_value: 'clicks_reward_type',
  shares_reward_value: 'shares_reward_type',
  referee_discount_value: 'referee_discount_type',
  referrer_reward_value: 'referrer_reward_type',
  level2_reward_value: 'level2_reward_type',
};

/**
 * The posted strings of `names` as the API takes them (the schema parses decimal strings, whole-day strings and
 * "true"/"false"). Only what the form carries is sent, as a PATCH would; an empty value field is "not given" only
 * when its type is none (the use case then stores 0), otherwise it goes to the schema, which names the field. An
 * empty retention is null: visits are kept.
 */
export function programmeInput(form: FormBody, names: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of names) {
    if (form[name] === undefined) continue;
    const value = field(form, name);
    const typeField = VALUE_TYPES[name];
    if (typeField && value.trim() === '' && field(form, typeField) === 'none') continue;
    out[name] = name === 'visit_retention_days' && value.trim() === '' ? null : value;
  }
  return out;
}

/** A stored (type, value) pair as the form shows it: percent and points as the API answers them, money with cents. */
const valueText = (type: string, value: number): string => (type === 'fixed' ? value.toFixed(2) : String(value));

/** How the value is read now, and in what unit to enter it after a type change (the use case reads it by the new type). */
function valueHint(type: string, currency: string): string {
  const now = type === 'percentage' ? 'Now a percentage of the order: 10 means 10 %.'
    : type === 'fixed' ? `Now an amount in ${currency}, at most two decimals: 4.99.`
      : type === 'points' ? 'Now whole points: 10.'
        : 'Not used while the type is none: leave it empty or 0.';
  return `${now} With another type, enter it in that type's unit (%, ${currency} or points).`;
}

export const decimalAttrs = html` inputmode="decimal" autocomplete="off"`;
export const wholeAttrs = html` inputmode="numeric" autocomplete="off"`;

/** A fieldset of the programme's forms; disabled for a viewer (the same fields, nothing to send). */
export const ruleFieldset = (legend: string, disabled: boolean, content: SafeHtml): SafeHtml => html`<fieldset class="card"${disabled ? html` disabled` : ''}>
<legend>${legend}</legend>
${content}
</fieldset>`;

/** Each rule's inputs, filled with `rules` (or what was posted when refused), each with the API's message beside it. */
export function ruleInputs(rules: Rules, currency: string, problem: FormProblem | undefined) {
  const valueInput = (name: string, label: string, type: string, value: number) =>
    input({ name, label, value: valueText(type, value), hint: valueHint(type, currency), attrs: decimalAttrs, problem });
  return {
    window: input({ name: 'attribution_window_days', label: 'Attribution window (days)', value: rules.attribution_window_days, problem,
      hint: 'How long a visit or a claim can still earn the advocate the order: 1 to 365 days.', attrs: wholeAttrs }),
    discount: html`${select({ name: 'referee_discount_type', label: 'Discount type', value: rules.referee_discount_type, problem,
      options: [['percentage', 'Percentage of the order'], ['fixed', `Fixed amount (${currency})`]] })}
${valueInput('referee_discount_value', 'Discount value', rules.referee_discount_type, rules.referee_discount_value)}`,
    reward: html`${select({ name: 'referrer_reward_type', label: 'Reward type', value: rules.referrer_reward_type, problem,
      options: [['percentage', 'Percentage of the order'], ['fixed', `Fixed amount (${currency})`], ['points', 'Points']] })}
${valueInput('referrer_reward_value', 'Reward value', rules.referrer_reward_type, rules.referrer_reward_value)}`,
    level2: html`${select({ name: 'level2_reward_type', label: 'Level 2 reward type', value: rules.level2_reward_type, problem,
      options: [['none', 'None: no level 2 reward'], ['percentage', 'Percentage of the order'], ['fixed', `Fixed amount (${currency})`], ['points', 'Points']] })}
${valueInput('level2_reward_value', 'Level 2 reward value', rules.level2_reward_type, rules.level2_reward_value)}`,
    cooling: input({ name: 'cooling_period_days', label: 'Cooling period (days)', value: rules.cooling_period_days, problem,
      hint: 'A pending commission becomes approved this many days after its conversion (a refund before then reverses it): 0 to 365.', attrs: wholeAttrs }),
  };
}

/** The rules' fieldsets as a campaign's form has them (the settings' form adds the brand's own fields to them). */
export function ruleFieldsets(rules: Rules, currency: string, problem: FormProblem | undefined, disabled: boolean): SafeHtml {
  const f = ruleInputs(rules, currency, problem);
  return html`${ruleFieldset('Attribution', disabled, f.window)}
${ruleFieldset('Discount for the referred customer', disabled, f.discount)}
${ruleFieldset('Reward for the advocate', disabled, f.reward)}
${ruleFieldset('Level 2: the advocate who referred the advocate', disabled, f.level2)}
${ruleFieldset('Commissions', disabled, f.cooling)}`;
}

/**
 * A campaign's action rewards as fieldsets (reward_action_type 2-4): each a type (none, fixed, points) and value, and for
 * clicks and shares the threshold and whether it earns once or at every multiple.
 */
export function actionFieldsets(a: ReturnType<typeof actionsView>, currency: string, problem: FormProblem | undefined, disabled: boolean): SafeHtml {
  const kinds = [['none', 'None'], ['fixed', `Fixed amount (${currency})`], ['points', 'Points']] as const;
  const reward = (name: 'enrolment' | 'clicks' | 'shares', label: string) => {
    const type = a[`${name}_reward_type`];
    return html`${select({ name: `${name}_reward_type`, label: `${label}: reward type`, value: type, problem, options: kinds })}
${input({ name: `${name}_reward_value`, label: `${label}: reward value`, value: valueText(type, a[`${name}_reward_value`]), hint: valueHint(type, currency),
    attrs: decimalAttrs, problem })}`;
  };
  const count = (name: 'clicks' | 'shares', what: string) => html`${input({ name: `${name}_threshold`, label: `${what} that earn it`,
    value: a[`${name}_threshold`], hint: `Over all the advocate's codes: a whole number, at least 1.`, attrs: wholeAttrs, problem })}
${select({ name: `${name}_reward_repeats`, label: 'Earned', value: String(a[`${name}_reward_repeats`]), problem,
    options: [['false', 'Once, when the count reaches it'], ['true', 'At every multiple of it']] })}`;
  return html`${ruleFieldset('Reward for a referred enrolment (an advocate created with this advocate as referred by)', disabled, reward('enrolment', 'Enrolment'))}
${ruleFieldset('Reward for clicks reached', disabled, html`${reward('clicks', 'Clicks')}
${count('clicks', 'Clicks')}`)}
${ruleFieldset('Reward for shares reached', disabled, html`${reward('shares', 'Shares')}
${count('shares', 'Shares')}`)}`;
}
