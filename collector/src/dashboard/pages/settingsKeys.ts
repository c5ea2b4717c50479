// /dashboard/settings/keys: the brand's API keys (the `referloop key` use cases of services/keys.ts): the list by
// name, kind, prefix, creation and last use; a new named key, shown once on the page that answers the form; revoke.
import { Router } from 'express';
import type { AppDeps } from '../../app.ts';
import { publicUrlOf } from '../../config.ts';
import type { KeyListing } from '../../db/brands.ts';
import { notFound } from '../../errors.ts';
import { zKeyCreate, zKeyRevoke, type KeyCreate } from '../../schemas/keys.ts';
import type { Ctx } from '../../services/context.ts';
import { createKey, listKeys, revokeKey } from '../../services/keys.ts';
import { when } from '../format.ts';
import { html } from '../html.ts';
import { csrfField, type Page } from '../layout.ts';
import { action, field, page, type Done, type FormProblem, type PageCtx } from '../page.ts';
import { badge, input, problemSummary, select, table } from '../ui.ts';
import { copyBlock, scriptTag, settingsCall } from './settingsSnippets.ts';
import { isOwner, readOnlyNote, SETTINGS_PATH, settingsTabs } from './settingsTabs.ts';

export const KEYS_PATH = `${SETTINGS_PATH}/keys`;

const KIND_OPTIONS = [
  ['secret', 'Secret (rl_sk_…): your server, Zapier, Make, n8n; every endpoint'],
  ['publishable', 'Publishable (rl_pk_…): the script tag in the browser; tracking calls from allowed origins'],
] as const;

/** The posted strings as the schema takes them ('' kind: the schema's default, secret). */
export const keyInput = (form: Parameters<typeof field>[0]) => {
  const kind = field(form, 'kind');
  return { name: field(form, 'name'), ...(kind ? { kind } : {}) };
};

/** The brand's active publishable keys (what the script tag can carry). */
export const activePublishableKeys = async (p: PageCtx): Promise<KeyListing[]> =>
  (await listKeys(p.q, p.brand.id)).keys.filter((k) => k.kind === 'publishable' && k.revoked_at === null);

async function keysTable(p: PageCtx): Promise<ReturnType<typeof table>> {
  const owner = isOwner(p);
  const rows = (await listKeys(p.q, p.brand.id)).keys.map((k) => html`<tr>
<td>${k.name}</td><td>${k.kind}</td><td><code class="key-prefix">${k.prefix}</code></td><td>${when(k.created_at)}</td><td>${k.last_used_at ? when(k.last_used_at) : html`<span class="muted">never</span>`}</td>
<td>${k.revoked_at ? html`${badge('revoked')} ${when(k.revoked_at)}` : badge('active')}</td>
${owner ? html`<td>${k.revoked_at ? '' : html`<form method="post" action="${KEYS_PATH}/${k.key_id}/revoke" class="inline"
 data-confirm="${`Revoke the ${k.kind} key "${k.name}" (${k.prefix})? Its next call is a 401: whatever still uses it stops working.`}">
${csrfField(p.viewer)}<button type="submit" class="danger">Revoke<span class="visually-hidden"> ${k.name}</span></button></form>`}</td>` : ''}
</tr>`);
  return table('API keys of this brand', html`<tr><th scope="col">Name</th><th scope="col">Kind</th><th scope="col">Key</th><th scope="col">Created</th>
<th scope="col">Last used</th><th scope="col">Status</th>${owner ? html`<th scope="col"><span class="visually-hidden">Action</span></th>` : ''}</tr>`, rows);
}

export async function keysPage(p: PageCtx, problem?: FormProblem): Promise<Page> {
  return {
    title: 'API keys',
    nav: 'settings',
    body: html`${settingsTabs(p, 'keys')}
${readOnlyNote(p)}
<p>A key is shown once, when it is made: Referloop keeps only its hash (and, for a secret key, a copy sealed with the
collector's master key, to check webhook signatures). The list shows each key's prefix and last four characters, enough to
tell which one a configuration holds. Give each integration its own named key: each has its own rate budget and is revoked
alone. The same keys as <code>referloop key list</code>.</p>
${await keysTable(p)}
<p class="muted">Last use is noted at most once a minute per key.</p>
${isOwner(p) ? html`<h2 id="new-key-title">New key</h2>
<form method="post" action="${KEYS_PATH}" class="card" aria-labelledby="new-key-title" novalidate>
${csrfField(p.viewer)}
${problemSummary(problem)}
${input({ name: 'name', label: 'Name', hint: 'What holds it, such as "zapier" or "shop backend": 1 to 64 letters, digits, spaces or . _ : / @ + -', problem, required: true, attrs: html` maxlength="64" autocomplete="off"` })}
${select({ name: 'kind', label: 'Kind', value: 'secret', options: KIND_OPTIONS, problem })}
<p><button type="submit">Create the key</button></p>
</form>` : ''}`,
  };
}

interface NewKey { name: string; kind: KeyCreate['kind']; key: string }

/** The answer to the form: the new key, this once (no-store, like every dashboard page), and where it goes. */
function newKeyPage(p: PageCtx, k: NewKey): Page {
  const url = publicUrlOf(p.deps.config);
  const use = k.kind === 'secret'
    ? copyBlock('new-key-call', 'A first call with it', settingsCall(url, k.key), 'Copy the call')
    : copyBlock('new-key-tag', 'The script tag with it, ready for your pages', scriptTag(url, p.brand.id, k.key), 'Copy the script tag');
  return {
    title: 'New API key',
    nav: 'settings',
    status: 201,
    body: html`${settingsTabs(p, 'keys')}
<div class="card">
<p>The ${k.kind} key <strong>${k.name}</strong> is made. <strong>Copy it now: it is shown this once</strong>, never again on
any page, and cannot be recovered (make a new one and revoke this one if it is lost).</p>
${copyBlock('new-key', `The ${k.kind} key`, k.key, 'Copy the key')}
${use}
<p><a href="${KEYS_PATH}">I have kept it: back to the API keys</a></p>
</div>`,
  };
}

/** The use case of both forms that make a key (this page's and the script tag's): answers the key's page. */
export const createKeyCase = (deps: AppDeps) => async (ctx: Ctx, data: KeyCreate): Promise<Done> => {
  const made = await createKey(deps.db, ctx.q, deps.masterKey, { brandId: ctx.brand.id, name: data.name, kind: data.kind }, ctx.now);
  const key = { name: made.name, kind: data.kind, key: (made.secret_key ?? made.publishable_key)! };
  return { redirect: KEYS_PATH, answer: (p) => newKeyPage(p, key) };
};

export function keyRoutes(deps: AppDeps): Router {
  const r = Router();
  r.get('/settings/keys', page(deps, (p) => keysPage(p)));
  r.post('/settings/keys', action(deps, zKeyCreate, keyInput, createKeyCase(deps), keysPage));
  r.post('/settings/keys/:id/revoke', action(deps, zKeyRevoke, (_form, req) => ({ key_id: req.params.id }),
    async (ctx, { key_id }) => {
      const key = await ctx.q.brands.getKey(ctx.brand.id, key_id);
      if (!key) throw notFound('API key');
      await revokeKey(deps.db, ctx.q, ctx.brand.id, key_id, ctx.now);
      return {
        redirect: KEYS_PATH,
        notice: key.revoked_at
          ? `The key "${key.name}" (${key.prefix}) was already revoked.`
          : `The key "${key.name}" (${key.prefix}) is revoked: its next call is a 401.`,
      };
    },
    keysPage));
  return r;
}
