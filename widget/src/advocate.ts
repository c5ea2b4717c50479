// Advocate mode (data-sso-token): the recognised advocate's referral link to copy and share, and their figures, as
// GET /sso/me answers them for that advocate only; each share button opens its share page and records the share.
import { read, track } from './api.ts';
import type { WidgetConfig } from './config.ts';
import { h, money, statusLine } from './dom.ts';
import { CHANNELS } from './share.ts';

interface SessionAdvocate {
  first_name: string;
  referral_code: string | null;
  referral_link: string | null;
  click_count: number;
  share_count: number;
  conversion_count: number;
  total_earnings: number;
  currency: string;
}

const SHARE_TEXT = 'Here is a discount for you:';

/** Puts `text` on the clipboard: the Clipboard API, else the selected input and the copy command. */
async function copy(input: HTMLInputElement, text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    input.select();
    try {
      return document.execCommand('copy');
    } catch {
      return false;
    }
  }
}

/** The card for the session's advocate, or undefined when the token opens nothing (expired, unknown, blocked) or the collector is away. */
export async function advocateCard(config: WidgetConfig, token: string): Promise<HTMLElement | undefined> {
  const answer = await read(config, 'sso/me', { Authorization: `Bearer ${token}` });
  const a = answer?.status === 200 ? (answer.body?.data as SessionAdvocate | undefined) : undefined;
  const link = a?.referral_link;
  const code = a?.referral_code;
  if (!a || !link || !code) return undefined;
  const status = statusLine();
  const input = h('input', { id: 'referloop-link', type: 'text', readonly: true, value: link, onfocus: () => input.select() });
  const shares = h('dd', {}, String(a.share_count));
  let shareCount = a.share_count;

  const share = (channel: (typeof CHANNELS)[number]) => () => {
    // Opened first, inside the click: a popup blocker lets a page open windows only there.
    window.open(channel.url(link, SHARE_TEXT), '_blank', 'noopener');
    track(config, 'share', { referral_code: code, channel: channel.channel }).then((recorded) => {
      if (recorded?.status === 201) shares.textContent = String(++shareCount);
    });
  };

  const figures = h('dl', {},
    h('div', {}, h('dt', {}, 'Clicks'), h('dd', {}, String(a.click_count))),
    h('div', {}, h('dt', {}, 'Shares'), shares),
    h('div', {}, h('dt', {}, 'Conversions'), h('dd', {}, String(a.conversion_count))),
    h('div', {}, h('dt', {}, 'Earned'), h('dd', {}, money(a.total_earnings, a.currency))));

  return h('section', { class: 'card', 'aria-labelledby': 'referloop-title' },
    h('h2', { id: 'referloop-title' }, 'Refer your friends'),
    h('p', { class: 'muted' }, `${a.first_name ? `${a.first_name}, s` : 'S'}hare your link: whoever buys through it counts as yours.`),
    h('label', { for: 'referloop-link' }, 'Your referral link'),
    h('div', { class: 'row' }, input, h('button', {
      type: 'button',
      class: 'secondary',
      onclick: () => void copy(input, link).then((done) => status.say(done ? 'Link copied.' : 'Press Ctrl+C (or ⌘C) to copy the selected link.', done ? 'ok' : '')),
    }, 'Copy')),
    h('ul', { class: 'shares', 'aria-label': 'Share your link' },
      ...CHANNELS.map((c) => h('li', {}, h('button', { type: 'button', onclick: share(c) }, c.name)))),
    figures, status.el);
}
