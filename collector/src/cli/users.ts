// referloop user create / login-link / list: the brand's dashboard users and their single-use sign-in links
// (valid one hour), each command in one BEGIN IMMEDIATE transaction on an existing database.
import { loadConfig, publicUrlOf } from '../config.ts';
import { parseBody } from '../http/parse.ts';
import { createDashboardUser, listDashboardUsers, loginUrl, newLoginLink, userByEmail, type PublicUser } from '../services/dashboardUsers.ts';
import { zCreateDashboardUser } from '../schemas/dashboard.ts';
import { print, table, type BrandOpts } from './common.ts';
import { inBrand } from './inBrand.ts';

/** The email (and role) through the dashboard's own schema: the same message names the field. */
const userInput = (opts: { email: string; role?: string }) =>
  parseBody(zCreateDashboardUser, { email: opts.email, ...(opts.role !== undefined ? { role: opts.role } : {}) }).data;

/** Where the link points: REFERLOOP_PUBLIC_URL, else this machine's REFERLOOP_PORT (as the server reads them). */
const linkOf = (token: string) => loginUrl(publicUrlOf(loadConfig(process.env)), token);

function printLink(opts: BrandOpts, user: PublicUser, token: string, what: string): void {
  const login_url = linkOf(token);
  print(opts, { user_id: user.user_id, email: user.email, role: user.role, login_url },
    `${what} ${user.email} (${user.role}, user id ${user.user_id})\nsign-in link  ${login_url}\n(works once, within an hour)`);
}

export async function userCreate(opts: BrandOpts & { email: string; role?: string }): Promise<void> {
  const input = userInput(opts);
  const { user, token } = await inBrand(opts, (ctx) => createDashboardUser(ctx, input));
  printLink(opts, user, token, 'dashboard user');
}

export async function userLoginLink(opts: BrandOpts & { email: string }): Promise<void> {
  const { email } = userInput(opts);
  const { user, token } = await inBrand(opts, async (ctx) => newLoginLink(ctx, await userByEmail(ctx, email)));
  printLink(opts, user, token, 'new link for');
}

export async function userList(opts: BrandOpts): Promise<void> {
  const users = await inBrand(opts, (ctx) => listDashboardUsers(ctx));
  print(opts, { users }, table(users, ['user_id', 'email', 'role', 'has_password', 'disabled', 'created_at']));
}
