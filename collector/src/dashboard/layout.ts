// The page around every dashboard page: head (one stylesheet, the page's scripts, no inline code), skip link,
// navigation, the signed-in user and sign-out, the notice a form left, and the page's own content.
import type { Viewer } from '../services/dashboardUsers.ts';
import { html, type SafeHtml } from './html.ts';
import { CSRF_FIELD, DASHBOARD_PATH } from './session.ts';
import { DOCS_PATH } from '../http/routes/openapi.ts';

export type NavKey = 'overview' | 'advocates' | 'campaigns' | 'rewards' | 'quests' | 'testimonials' | 'feedback' | 'conversions' | 'commissions' | 'payouts' | 'webhooks' | 'settings';

const NAV: ReadonlyArray<[NavKey, string, string]> = [
  ['overview', 'Overview', ''],
  ['advocates', 'Advocates', '/advocates'],
  ['campaigns', 'Campaigns', '/campaigns'],
  ['rewards', 'Rewards', '/rewards'],
  ['quests', 'Quests', '/quests'],
  ['testimonials', 'Testimonials', '/testimonials'],
  ['feedback', 'Feedback', '/feedback'],
  ['conversions', 'Conversions', '/conversions'],
  ['commissions', 'Commissions', '/commissions'],
  ['payouts', 'Payouts', '/payouts'],
  ['webhooks', 'Webhooks', '/webhooks'],
  ['settings', 'Settings', '/settings'],
];

export interface Page {
  /** the <title> and the page's <h1> */
  title: string;
  body: SafeHtml;
  nav?: NavKey;
  /** script bundles under /dashboard/assets (client/*.ts built by rollup), after common.js */
  scripts?: string[];
  /** extra stylesheets under /dashboard/assets */
  styles?: string[];
  status?: number;
}

/** A hidden field with the session's CSRF token: inside every form that changes something. */
export const csrfField = (viewer: Viewer): SafeHtml => html`<input type="hidden" name="${CSRF_FIELD}" value="${viewer.csrf}">`;

const asset = (name: string) => `${DASHBOARD_PATH}/assets/${name}`;

/** The HTML document around a page's chrome and content (the portal's pages share it: portal/layout.ts). */
export function document(page: Pick<Page, 'title' | 'styles' | 'scripts'>, chrome: SafeHtml, main: SafeHtml): SafeHtml {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${page.title} · Referloop</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${asset('dashboard.css')}">
${(page.styles ?? []).map((s) => html`<link rel="stylesheet" href="${asset(s)}">`)}
<script src="${asset('common.js')}" defer></script>
${(page.scripts ?? []).map((s) => html`<script src="${asset(s)}" defer></script>`)}
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
${chrome}
<main id="main" tabindex="-1">
${main}
</main>
</body>
</html>`;
}

/** A signed-in page. */
export function layout(page: Page, viewer: Viewer, notice?: string): SafeHtml {
  const chrome = html`<header class="top">
  <a class="brand" href="${DASHBOARD_PATH}">Referloop <span class="brand-name">${viewer.brand.name}</span></a>
  <nav aria-label="Main">
    <ul>${NAV.map(([key, label, path]) => html`<li><a href="${DASHBOARD_PATH}${path}"${key === page.nav ? html` aria-current="page"` : ''}>${label}</a></li>`)}</ul>
  </nav>
  <form class="who" method="post" action="${DASHBOARD_PATH}/sign-out">
    ${csrfField(viewer)}
    <a href="${DOCS_PATH}" title="The HTTP API, described (OpenAPI)">API reference</a>
    <a href="${DASHBOARD_PATH}/account" title="Your account">${viewer.user.email} <span class="role">(${viewer.user.role})</span></a>
    <button type="submit">Sign out</button>
  </form>
</header>`;
  const main = html`<h1>${page.title}</h1>
${notice ? html`<p class="notice" role="status">${notice}</p>` : ''}
${page.body}`;
  return document(page, chrome, main);
}

/** A page for someone not signed in (sign-in, a used link). */
export function publicLayout(page: Page): SafeHtml {
  return document(page, html`<header class="top"><span class="brand">Referloop</span></header>`, html`<h1>${page.title}</h1>
${page.body}`);
}
