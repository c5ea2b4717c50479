// Referee mode: a visitor holding a referral code sees who referred them and the offer, and claims it with their email
// (track/check-eligibility, then track/claim); the outcome is said in words in the status line.
import { read, track, type Answer } from './api.ts';
import type { WidgetConfig } from './config.ts';
import { storedVisitorId } from './device.ts';
import { h, money, statusLine } from './dom.ts';

interface Referrer {
  code: string;
  referrer_first_name: string;
  referee_discount: { type: 'percentage' | 'fixed'; value: number };
  currency: string;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Why not, in the visitor's words, by the collector's reason (its `error` of check-eligibility, its `code` of a claim). */
const WHY_NOT: Record<string, string> = {
  self_referral: 'This is your own referral link: the discount is for the friends you invite.',
  already_redeemed: 'You have already used a referral discount with us, so this one cannot be applied.',
  invalid_code: 'This referral offer is no longer available.',
  inactive_code: 'This referral offer is no longer available.',
  plan_required: 'Referral discounts are not available at the moment.',
  rate_limited: 'Too many tries: please wait a minute and try again.',
};
const UNREACHABLE = 'We could not reach our referral service. Please try again in a moment.';

/** Unknown reasons: the collector's own words for a bad field (a 400), else a quiet apology (keys and origins are not the visitor's business). */
const whyNot = (answer: Answer | null, reason?: string): string =>
  (reason && WHY_NOT[reason]) || (!answer ? UNREACHABLE
    : answer.status === 400 && typeof answer.body?.error === 'string' ? answer.body.error
    : 'Sorry, the discount cannot be claimed right now. Please try again later.');

const offerOf = (r: Referrer): string =>
  r.referee_discount.type === 'percentage' ? `${r.referee_discount.value}% off` : `${money(r.referee_discount.value, r.currency)} off`;

/** The card for `code`, or undefined when the collector does not know it (unknown, inactive, another brand's) or is away. */
export async function refereeCard(config: WidgetConfig, code: string): Promise<HTMLElement | undefined> {
  const answer = await read(config, `track/referrer?code=${encodeURIComponent(code)}`, { 'X-API-Key': config.key, 'X-Brand-ID': config.brand });
  const r = answer?.status === 200 ? (answer.body?.data as Referrer | undefined) : undefined;
  if (!r?.code || !r.referee_discount) return undefined;
  const offer = offerOf(r);
  const who = r.referrer_first_name || 'A friend';
  const status = statusLine();
  const email = h('input', { id: 'referloop-email', type: 'email', name: 'email', autocomplete: 'email', required: true, 'aria-describedby': 'referloop-offer' });
  const button = h('button', { type: 'submit' }, 'Get my discount');

  const claim = async (address: string): Promise<void> => {
    const verdict = await track(config, 'check-eligibility', { referral_code: r.code, email: address });
    if (!verdict || verdict.status >= 400) return status.say(whyNot(verdict, verdict?.body?.code), 'error');
    if (verdict.body?.eligible === false) return status.say(whyNot(verdict, verdict.body.error), 'error');
    const claimed = await track(config, 'claim', { referral_code: r.code, email: address, visitor_id: storedVisitorId() });
    if (claimed?.status === 201 || claimed?.body?.code === 'duplicate_claim') {
      const again = claimed.status === 201 ? '' : 'You had already claimed it. ';
      return status.say(`${again}Your ${offer} is saved for ${address}: use code ${r.code} at checkout, or check out with this email.`, 'ok');
    }
    status.say(whyNot(claimed, claimed?.body?.code), 'error');
  };

  const form = h('form', {
    novalidate: true,
    onsubmit: (event: Event) => {
      event.preventDefault();
      const address = email.value.trim();
      if (!EMAIL.test(address)) {
        status.say('Please enter your email address, such as name@example.com.', 'error');
        email.setAttribute('aria-invalid', 'true');
        return email.focus();
      }
      email.removeAttribute('aria-invalid');
      button.disabled = true;
      status.say('Checking…');
      claim(address).catch(() => status.say(UNREACHABLE, 'error')).finally(() => (button.disabled = false));
    },
  }, h('label', { for: 'referloop-email' }, 'Your email'), email, button);

  // The status line reserves three lines (.referee .status): the outcome's words do not move the floating panel.
  return h('section', { class: 'card referee', 'aria-labelledby': 'referloop-title' },
    h('h2', { id: 'referloop-title' }, `${who} sent you ${offer}`),
    h('p', { id: 'referloop-offer', class: 'muted' }, `${who} invited you: enter your email to get ${offer} your order.`),
    form, status.el);
}
