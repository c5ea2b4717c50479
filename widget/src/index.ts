// Entry: reads the tag, picks the mode (advocate with data-sso-token, else referee when the device holds a referral
// code or the page's URL carries one), asks the collector, and mounts the card only when there is one. Never throws
// into the page.
import { advocateCard } from './advocate.ts';
import { readConfig } from './config.ts';
import { deviceCode } from './device.ts';
import { mount, whenReady } from './mount.ts';
import { refereeCard } from './referee.ts';

async function start(): Promise<void> {
  const config = readConfig();
  if (!config) return;
  let card: HTMLElement | undefined;
  let label = 'the referral offer';
  if (config.ssoToken) {
    card = await advocateCard(config, config.ssoToken);
    label = 'referral sharing';
  } else {
    const code = deviceCode(config.param);
    if (code) card = await refereeCard(config, code);
  }
  if (card) whenReady(() => {
    try {
      mount(card, label);
    } catch {}
  });
}

// The tag is read now (document.currentScript exists only while this runs); everything after it is caught.
try {
  start().catch(() => {});
} catch {}
