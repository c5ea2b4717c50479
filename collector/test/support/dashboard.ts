// A dashboard user's browser over plain HTTP: signs in through a real sign-in link, keeps the session cookie, and
// sends each form with the CSRF token the last page carried (as a browser would), or without it when told.
import type { DashboardRole } from '../../src/db/dashboardUsers.ts';
import { createDashboardUser } from '../../src/services/dashboardUsers.ts';
import { zCreateDashboardUser } from '../../src/schemas/dashboard.ts';
import type { TestBrand, TestCollector } from './collector.ts';

export interface DashboardPage {
  status: number;
  headers: Headers;
  /** the HTML (or any text) answered */
  text: string;
  /** Location of a redirect */
  location: string | null;
}

export interface DashboardClient {
  email: string;
  role: DashboardRole;
  /** the session cookie's value ('' when signed out) */
  cookie: string;
  get(path: string): Promise<DashboardPage>;
  /** a form post; `_csrf` is added from the last page read unless `csrf: false` (or given in `form`) */
  post(path: string, form: Record<string, string | string[]>, opts?: { csrf?: boolean }): Promise<DashboardPage>;
  /** the session's CSRF token, as the pages carry it */
  csrf(): Promise<string>;
}

let users = 0;

/** A new user of `brand` (default the collector's) with `role`, signed in through their sign-in link. */
export async function signedIn(c: TestCollector, opts: { brand?: TestBrand; role?: DashboardRole; email?: string } = {}): Promise<DashboardClient> {
  const brand = (await c.deps.q.brands.getBrand((opts.brand ?? c.brand).brand_id))!;
  const email = opts.email ?? `user${++users}@owner.example`;
  const role = opts.role ?? 'owner';
  const { token } = await c.deps.db.transaction(() => createDashboardUser({ q: c.deps.q, brand, now: c.deps.now() }, zCreateDashboardUser.parse({ email, role })));
  const client = browser(c);
  const signIn = await client.post(`/dashboard/sign-in/${token}`, {}, { csrf: false });
  if (signIn.status !== 303 || !client.cookie) throw new Error(`sign-in failed: ${signIn.status} ${signIn.text.slice(0, 200)}`);
  return Object.assign(client, { email, role });
}

const CSRF = /name="_csrf" value="([^"]+)"/;

/** A browser with no session yet. */
export function browser(c: TestCollector): DashboardClient {
  let cookie = '';
  let lastCsrf: string | undefined;
  // Other cookies (the notice a form leaves for the next page), kept and sent back as a browser does.
  const jar = new Map<string, string>();
  const keep = (res: Response) => {
    for (const line of res.headers.getSetCookie()) {
      const m = /^rl_session=([^;]*)/.exec(line);
      if (m) cookie = m[1]!;
      const other = /^(?!rl_session=)([^=;]+)=([^;]*)/.exec(line);
      if (other) {
        if (other[2] === '' || /;\s*Max-Age=0/i.test(line)) jar.delete(other[1]!);
        else jar.set(other[1]!, other[2]!);
      }
    }
  };
  const answer = async (res: Response): Promise<DashboardPage> => {
    keep(res);
    const text = await res.text();
    const m = CSRF.exec(text);
    if (m) lastCsrf = m[1];
    return { status: res.status, headers: res.headers, text, location: res.headers.get('location') };
  };
  const headers = (): Record<string, string> => {
    const all = [...(cookie ? [`rl_session=${cookie}`] : []), ...[...jar].map(([k, v]) => `${k}=${v}`)];
    return all.length ? { Cookie: all.join('; ') } : {};
  };
  const client: DashboardClient = {
    email: '', role: 'viewer',
    get cookie() { return cookie; },
    async get(path) {
      return answer(await fetch(c.url + path, { headers: headers(), redirect: 'manual' }));
    },
    async post(path, form, opts = {}) {
      const body = new URLSearchParams();
      for (const [k, v] of Object.entries(form)) for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
      if (opts.csrf !== false && !('_csrf' in form)) body.append('_csrf', await client.csrf());
      return answer(await fetch(c.url + path, {
        method: 'POST', redirect: 'manual',
        headers: { ...headers(), 'Content-Type': 'application/x-www-form-urlencoded' }, body: body.toString(),
      }));
    },
    async csrf() {
      if (!lastCsrf) await client.get('/dashboard');
      if (!lastCsrf) throw new Error('no CSRF token on the overview page: not signed in?');
      return lastCsrf;
    },
  };
  return client;
}

// ---- reading a page: what a user sees of it

const unescapeHtml = (s: string) => s.replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** HTML as the text a reader sees (tags stripped, entities decoded, spaces squeezed). */
export const textOf = (html: string): string => unescapeHtml(html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim());

/** The text of the first table row that holds `needle` (in its HTML). */
export function rowWith(page: DashboardPage, needle: string): string {
  const rows = page.text.split(/<tr[\s>]/).filter((r) => r.includes(needle));
  if (rows.length === 0) throw new Error(`no table row with ${needle}`);
  return textOf(rows[0]!);
}

/** The message beside a form field (ui.ts: <span class="field-error" id="f-NAME-error">), if any. */
export function fieldError(page: DashboardPage, name: string): string | undefined {
  const m = new RegExp(`<span class="field-error" id="f-${name}-error">([^<]*)</`).exec(page.text);
  return m ? unescapeHtml(m[1]!) : undefined;
}

/** The notice a form's redirect (303) left, read on the page it leads to. */
export async function noticeAfter(client: DashboardClient, res: DashboardPage): Promise<string> {
  if (res.status !== 303) throw new Error(`expected a 303 redirect, got ${res.status}: ${res.text.slice(0, 400)}`);
  const next = await client.get(res.location!);
  return textOf(/<p class="notice" role="status">(.*?)<\/p>/s.exec(next.text)?.[1] ?? '');
}
