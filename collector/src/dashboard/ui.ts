// The dashboard's shared pieces of markup: labelled inputs that show the API's message for their field, status
// badges, the pager of a keyset list, tables with a caption. Pages compose these instead of writing their own.
import { html, type SafeHtml } from './html.ts';
import type { FormBody, FormProblem } from './page.ts';

const idOf = (name: string) => `f-${name.replace(/[^A-Za-z0-9_-]/g, '-')}`;

/** The message of a refused form, at its top (role=alert: announced at once). */
export const problemSummary = (problem?: FormProblem): SafeHtml =>
  problem ? html`<div class="error" role="alert"><p>${problem.message}</p></div>` : html``;

export interface InputOptions {
  /** the form field's name: the API's field name, so the API's message lands beside it */
  name: string;
  label: string;
  value?: string | number | null | undefined;
  type?: 'text' | 'email' | 'number' | 'password' | 'url' | 'date' | 'search';
  hint?: string;
  required?: boolean;
  problem?: FormProblem | undefined;
  /** extra attributes, e.g. step="0.01" min="0" */
  attrs?: SafeHtml;
}

/** What was posted for `name` when the form was refused, else `fallback`. */
export function valueOf(name: string, fallback: string | number | null | undefined, problem?: FormProblem): string {
  const posted: FormBody[string] = problem?.values[name];
  if (posted !== undefined) return Array.isArray(posted) ? (posted[0] ?? '') : posted;
  return fallback === null || fallback === undefined ? '' : String(fallback);
}

function described(name: string, hint: string | undefined, error: string | undefined): { attrs: SafeHtml; after: SafeHtml } {
  const id = idOf(name);
  const ids = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return {
    attrs: html`${ids ? html` aria-describedby="${ids}"` : ''}${error ? html` aria-invalid="true"` : ''}`,
    after: html`${hint ? html`<span class="hint" id="${id}-hint">${hint}</span>` : ''}${error ? html`<span class="field-error" id="${id}-error">${error}</span>` : ''}`,
  };
}

export function input(o: InputOptions): SafeHtml {
  const id = idOf(o.name);
  const { attrs, after } = described(o.name, o.hint, o.problem?.fields[o.name]);
  return html`<div class="field"><label for="${id}">${o.label}</label>
<input id="${id}" name="${o.name}" type="${o.type ?? 'text'}" value="${valueOf(o.name, o.value, o.problem)}"${o.required ? html` required` : ''}${attrs}${o.attrs ?? ''}>
${after}</div>`;
}

export function select(o: Omit<InputOptions, 'type' | 'attrs'> & { options: ReadonlyArray<readonly [value: string, label: string]> }): SafeHtml {
  const id = idOf(o.name);
  const current = valueOf(o.name, o.value, o.problem);
  const { attrs, after } = described(o.name, o.hint, o.problem?.fields[o.name]);
  return html`<div class="field"><label for="${id}">${o.label}</label>
<select id="${id}" name="${o.name}"${o.required ? html` required` : ''}${attrs}>
${o.options.map(([v, label]) => html`<option value="${v}"${v === current ? html` selected` : ''}>${label}</option>`)}
</select>
${after}</div>`;
}

export function textarea(o: Omit<InputOptions, 'type' | 'attrs'>): SafeHtml {
  const id = idOf(o.name);
  const { attrs, after } = described(o.name, o.hint, o.problem?.fields[o.name]);
  return html`<div class="field"><label for="${id}">${o.label}</label>
<textarea id="${id}" name="${o.name}"${o.required ? html` required` : ''}${attrs}>${valueOf(o.name, o.value, o.problem)}</textarea>
${after}</div>`;
}

/** A status word as a badge (colour and the word itself: never colour alone). */
export const badge = (status: string): SafeHtml => html`<span class="status status-${status}">${status.replace(/_/g, ' ')}</span>`;

/**
 * The pager of a keyset list: "Newer" back to the first page, "Older" to `next_cursor`, keeping the list's
 * filters (`query`, without cursor).
 */
export function pager(
  path: string, query: Record<string, string | undefined>, nextCursor: string | number | null | undefined, onFirstPage: boolean,
  /** when one page holds several paged lists: each one's cursor parameter, and its pager's accessible name */
  { param = 'cursor', label = 'Pages' }: { param?: string; label?: string } = {},
): SafeHtml {
  const keep = Object.entries(query).filter(([k, v]) => k !== param && v !== undefined && v !== '') as Array<[string, string]>;
  const href = (cursor?: string | number) => {
    const p = new URLSearchParams(keep);
    if (cursor !== undefined) p.set(param, String(cursor));
    const s = p.toString();
    return s ? `${path}?${s}` : path;
  };
  return html`<nav class="pager" aria-label="${label}">
${onFirstPage ? '' : html`<a href="${href()}">First page</a>`}
${nextCursor !== null && nextCursor !== undefined ? html`<a href="${href(nextCursor)}">Older</a>` : html`<span class="muted">No older entries</span>`}
</nav>`;
}

/**
 * A table with a caption (its accessible name), the header row and the rows; `empty` when there are none. Its
 * wrapper scrolls sideways on a narrow screen, so it is a named region a keyboard can reach and scroll.
 */
export function table(caption: string, head: SafeHtml, rows: SafeHtml[], empty = 'Nothing yet.'): SafeHtml {
  return html`<div class="table-wrap" role="region" aria-label="${caption}" tabindex="0"><table>
<caption>${caption}</caption>
<thead>${head}</thead>
<tbody>${rows.length ? rows : html`<tr><td colspan="99" class="muted">${empty}</td></tr>`}</tbody>
</table></div>`;
}
