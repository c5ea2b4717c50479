// Building the widget's elements: attributes and text only (never innerHTML, never a style attribute: strict CSP).

type Child = Node | string | null | undefined | false;

/** `<tag attr=...>children</tag>`; `on*` attributes are listeners (`onclick: fn`), never inline handlers. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string | boolean | EventListener> = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (typeof value === 'function') el.addEventListener(name.slice(2), value);
    else if (value !== false) el.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children) if (child) el.append(child);
  return el;
}

/** A region's status line: announced politely by screen readers when its text changes. */
export function statusLine(): { el: HTMLElement; say(text: string, tone?: 'ok' | 'error' | ''): void } {
  const el = h('p', { role: 'status', 'aria-live': 'polite', class: 'status' });
  return {
    el,
    say(text, tone = '') {
      el.textContent = text;
      el.className = tone ? `status ${tone}` : 'status';
    },
  };
}

/** An amount in the brand's currency, in the page's language (en when the browser knows no better). */
export function money(value: number, currency: string): string {
  try {
    return new Intl.NumberFormat(document.documentElement.lang || undefined, { style: 'currency', currency }).format(value);
  } catch {
    return `${value} ${currency}`;
  }
}
