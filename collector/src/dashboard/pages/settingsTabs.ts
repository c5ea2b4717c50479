// The pieces every settings page shares: its address, the tabs between its sub-pages, and the viewer's read-only note.
import { html, type SafeHtml } from '../html.ts';
import type { PageCtx } from '../page.ts';
import { DASHBOARD_PATH } from '../session.ts';

export const SETTINGS_PATH = `${DASHBOARD_PATH}/settings`;
/** The dashboard users page (owners only), built beside these. */
export const USERS_PATH = `${DASHBOARD_PATH}/users`;

export type SettingsTab = 'programme' | 'keys' | 'embed' | 'sso';

const TABS: ReadonlyArray<[SettingsTab, string, string]> = [
  ['programme', 'Programme and origins', SETTINGS_PATH],
  ['keys', 'API keys', `${SETTINGS_PATH}/keys`],
  ['embed', 'Script tag and checkout form', `${SETTINGS_PATH}/embed`],
  ['sso', 'Single sign-on', `${DASHBOARD_PATH}/sso`],
];

export const isOwner = (p: PageCtx): boolean => p.viewer.user.role === 'owner';

/** The settings sub-pages, and the dashboard users page for owners (the only ones who may open it). */
export function settingsTabs(p: PageCtx, current: SettingsTab): SafeHtml {
  return html`<nav class="tabs" aria-label="Settings">
<ul>${TABS.map(([key, label, href]) => html`<li><a href="${href}"${key === current ? html` aria-current="page"` : ''}>${label}</a></li>`)}${isOwner(p) ? html`<li><a href="${USERS_PATH}">Dashboard users</a></li>` : ''}</ul>
</nav>`;
}

/** For a viewer: why there is nothing to press. */
export const readOnlyNote = (p: PageCtx): SafeHtml =>
  isOwner(p) ? html`` : html`<p class="note" role="note">Your role is viewer: you see the settings, and only an owner of this brand can change them.</p>`;
