// Where the widget shows: the page's [data-referloop-widget] element (the page reserved its room), else a fixed panel at
// the bottom right (out of the flow): no layout shift either way. An open shadow root holds it and its styles.
import { h } from './dom.ts';
import { CSS } from './styles.ts';

/** The stylesheet, adopted where the browser can (no <style> element: a strict CSP's style-src allows it). */
function style(root: ShadowRoot): void {
  try {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS);
    root.adoptedStyleSheets = [sheet];
  } catch {
    // Browsers without constructable stylesheets: a <style> element (refused by a strict CSP: the widget then works unstyled).
    root.append(h('style', {}, CSS));
  }
}

/**
 * Shows `content` (a card) in its place, once the page's body exists; answers the host element. Floating panels get a
 * close button. Called only when there is something to show: otherwise nothing is added to the page.
 */
export function mount(content: HTMLElement, label: string): HTMLElement | undefined {
  const slot = document.querySelector<HTMLElement>('[data-referloop-widget]');
  if (slot?.shadowRoot) return undefined;
  let host = slot;
  if (!host) {
    host = h('div', { 'data-referloop-floating': true });
    content.prepend(h('button', { type: 'button', class: 'close', 'aria-label': `Close ${label}`, onclick: () => host!.remove() }, '×'));
    document.body.append(host);
  }
  const root = host.attachShadow({ mode: 'open' });
  style(root);
  root.append(content);
  return host;
}

/** Runs `fn` once the document's body exists (an async script may run before it is parsed). */
export function whenReady(fn: () => void): void {
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', fn, { once: true });
  else fn();
}
