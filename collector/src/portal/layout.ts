// The portal's chrome around a page: the brand, the portal's navigation, the advocate and sign-out. The document
// itself (head, stylesheet, skip link, main) is the dashboard's.
import { html, type SafeHtml } from '../dashboard/html.ts';
import { document, type Page } from '../dashboard/layout.ts';
import type { PortalViewer } from '../services/portalSessions.ts';
import { PORTAL_CSRF_FIELD, PORTAL_PATH } from './session.ts';

export type PortalNav = 'home' | 'links' | 'commissions' | 'payouts' | 'rewards' | 'quests' | 'testimonial' | 'ideas';

const NAV: ReadonlyArray<[PortalNav, string, string]> = [
  ['home', 'Your link and figures', ''],
  ['links', 'Link builder', '/links'],
  ['commissions', 'Commissions', '/commissions'],
  ['payouts', 'Payouts', '/payouts'],
  ['rewards', 'Points and rewards', '/rewards'],
  ['quests', 'Quests', '/quests'],
  ['testimonial', 'Testimonial', '/testimonial'],
  ['ideas', 'Ideas', '/ideas'],
];

export type PortalPage = Omit<Page, 'nav'> & { nav?: PortalNav };

export const portalCsrfField = (viewer: PortalViewer): SafeHtml => html`<input type="hidden" name="${PORTAL_CSRF_FIELD}" value="${viewer.csrf}">`;

export function portalLayout(page: PortalPage, viewer: PortalViewer): SafeHtml {
  const chrome = html`<header class="top">
  <a class="brand" href="${PORTAL_PATH}">${viewer.brand.name} <span class="brand-name">referral portal</span></a>
  <nav aria-label="Portal">
    <ul>${NAV.map(([key, label, path]) => html`<li><a href="${PORTAL_PATH}${path}"${key === page.nav ? html` aria-current="page"` : ''}>${label}</a></li>`)}</ul>
  </nav>
  <form class="who" method="post" action="${PORTAL_PATH}/sign-out">
    ${portalCsrfField(viewer)}
    <span>${viewer.advocate.name}</span>
    <button type="submit">Sign out</button>
  </form>
</header>`;
  return document(page, chrome, html`<h1>${page.title}</h1>
${page.body}`);
}

/** A page for someone not in the portal (a used link, signed out). */
export const portalPublicLayout = (page: PortalPage): SafeHtml =>
  document(page, html`<header class="top"><span class="brand">Referral portal</span></header>`, html`<h1>${page.title}</h1>
${page.body}`);
