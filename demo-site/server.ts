// The demo store's own server: pages, a cart cookie, and a backend that talks to Referloop with the secret key.
import express, { type Request, type Response } from 'express';
import { createServer, type Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { addToCart, CART_COOKIE, parseCart, readCookies, removeFromCart, serializeCart, type CartLine } from './cart.ts';
import { findProduct } from './catalog.ts';
import { createCollectorClient } from './collectorClient.ts';
import { createCustomerBook, CUSTOMER_COOKIE, type Customer } from './customers.ts';
import { createOrderBook } from './orders.ts';
import {
  accountPage, backOfficeOrderPage, backOfficePage, cartPage, homePage, messagePage, orderPage, paymentPage, productPage,
  type PageContext, type WidgetTag,
} from './pages.ts';

export interface StoreOptions {
  /** the collector's base URL as browsers reach it, e.g. http://localhost:8787 */
  collectorUrl: string;
  brandId: string;
  /** rl_sk_…: used only by this server, never rendered into a page */
  secretKey: string;
  /** rl_pk_…: goes into the al.js tag */
  publishableKey: string;
  /** every page asks for cookie consent first (a single page can ask with ?consent=required) */
  requireConsent?: boolean;
  /** the referee discount the banner promises; the collector's claim answer decides the amount charged */
  refereeDiscountPercent?: number;
  now?: () => Date;
}

const PUBLIC_DIR = fileURLToPath(new URL('./public/', import.meta.url));

/**
 * The policy from the tracker's contract: our own files, the collector's scripts (al.js, widget.js) and API, nothing
 * inline; forms post to the store, whose answer may send the customer on to their portal on the collector.
 */
export function contentSecurityPolicy(collectorUrl: string): string {
  const collector = new URL(collectorUrl).origin;
  return [
    "default-src 'self'",
    `script-src 'self' ${collector}`,
    `connect-src ${collector}`,
    "style-src 'self'",
    "img-src 'self' data:",
    `form-action 'self' ${collector}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
}

const field = (body: unknown, name: string, max: number): string => {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value.trim().slice(0, max) : '';
};

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const REFERRAL_CODE = /^[A-Za-z0-9_-]{1,64}$/;
const VISITOR_ID = /^[A-Za-z0-9_-]{1,64}$/;

export function createStore(options: StoreOptions): express.Express {
  const now = options.now ?? (() => new Date());
  const collector = createCollectorClient(options, 5000, now);
  const customers = createCustomerBook();
  const percent = options.refereeDiscountPercent ?? 10;
  const orders = createOrderBook(collector, { refereeDiscountPercent: percent, now });
  const csp = contentSecurityPolicy(options.collectorUrl);
  const collectorOrigin = new URL(options.collectorUrl).origin;

  const cartOf = (req: Request): CartLine[] => parseCart(readCookies(req.headers.cookie)[CART_COOKIE]);
  const saveCart = (res: Response, lines: CartLine[]) =>
    res.cookie(CART_COOKIE, serializeCart(lines), { httpOnly: true, sameSite: 'lax', path: '/', maxAge: 7 * 86_400_000 });

  const customerOf = (req: Request): Customer | undefined => customers.find(readCookies(req.headers.cookie)[CUSTOMER_COOKIE]);
  const widget = (ssoToken?: string): WidgetTag =>
    ({ collectorUrl: collectorOrigin, brandId: options.brandId, publishableKey: options.publishableKey, ...(ssoToken ? { ssoToken } : {}) });

  /** Shopping pages carry the tracker; `?consent=required` shows the consent flow on a single page. */
  const context = (req: Request, withTracker: boolean, cart = cartOf(req)): PageContext => ({
    cart,
    customer: customerOf(req) ?? null,
    offer: `${percent}%`,
    tracker: withTracker
      ? {
          collectorUrl: collectorOrigin,
          brandId: options.brandId,
          publishableKey: options.publishableKey,
          requireConsent: options.requireConsent === true || req.query.consent === 'required',
          // A single page can show the tag that honours Global Privacy Control with ?gpc=respect.
          respectGpc: req.query.gpc === 'respect',
        }
      : null,
  });

  const app = express();
  app.disable('x-powered-by');
  app.use((_req, res, next) => {
    res.setHeader('Content-Security-Policy', csp);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'strict-origin-when-cross-origin');
    next();
  });
  app.use(express.static(PUBLIC_DIR, { maxAge: '5m', index: false }));
  app.use(express.urlencoded({ extended: false, limit: '10kb' }));

  app.get('/', (req, res) => {
    res.type('html').send(homePage(context(req, true)));
  });

  app.get('/products/:slug', (req, res) => {
    const product = findProduct(req.params.slug);
    if (!product) {
      res.status(404).type('html').send(messagePage(context(req, true), 'Product not found', 'This product is no longer in our range.'));
      return;
    }
    // The widget in referee mode: who referred the visitor, the offer, and a claim by email.
    const referred = typeof req.query.ref === 'string' || Boolean(readCookies(req.headers.cookie).al_code);
    res.type('html').send(productPage({ ...context(req, true), widget: widget() }, product, referred));
  });

  app.get('/cart', (req, res) => {
    res.type('html').send(cartPage(context(req, true)));
  });

  app.post('/cart', (req, res) => {
    const product = findProduct(field(req.body, 'slug', 64));
    const quantity = Number(field(req.body, 'quantity', 2) || '1');
    if (product && Number.isInteger(quantity) && quantity >= 1) saveCart(res, addToCart(cartOf(req), product, quantity));
    res.redirect(303, '/cart');
  });

  app.post('/cart/remove', (req, res) => {
    saveCart(res, removeFromCart(cartOf(req), field(req.body, 'slug', 64)));
    res.redirect(303, '/cart');
  });

  app.post('/checkout', async (req, res) => {
    const cart = cartOf(req);
    if (cart.length === 0) {
      res.redirect(303, '/cart');
      return;
    }
    const email = field(req.body, 'email', 254);
    const name = field(req.body, 'name', 100);
    if (!EMAIL.test(email)) {
      res.status(400).type('html').send(cartPage(context(req, true, cart), { error: 'Please enter a valid email address.', email, name }));
      return;
    }
    // The tracker fills these hidden inputs; without JavaScript its first-party cookies carry the same values.
    const cookies = readCookies(req.headers.cookie);
    const code = field(req.body, 'referral_code', 64) || cookies.al_code || '';
    const visitorId = field(req.body, 'visitor_id', 64) || cookies.al_vid || '';
    const order = await orders.checkout(cart, {
      email,
      name,
      referralCode: REFERRAL_CODE.test(code) ? code : undefined,
      visitorId: VISITOR_ID.test(visitorId) ? visitorId : undefined,
    });
    saveCart(res, []);
    // Buying signs the buyer in on this browser (the demo's accounts have no password).
    const customer = customers.customerOf(email, name);
    if (customerOf(req) !== customer) {
      res.cookie(CUSTOMER_COOKIE, customers.signIn(customer), { httpOnly: true, sameSite: 'lax', path: '/', maxAge: 30 * 86_400_000 });
    }
    res.redirect(303, `/orders/${order.id}/pay`);
  });

  app.get('/orders/:id/pay', (req, res) => {
    const order = orders.find(req.params.id);
    if (!order) {
      res.status(404).type('html').send(messagePage(context(req, false), 'Order not found', 'We could not find this order.'));
      return;
    }
    if (order.status !== 'awaiting_payment') {
      res.redirect(303, `/orders/${order.id}`);
      return;
    }
    res.type('html').send(paymentPage(context(req, false), order));
  });

  app.post('/orders/:id/pay', async (req, res) => {
    const order = orders.find(req.params.id);
    if (order) await orders.pay(order);
    res.redirect(303, order ? `/orders/${order.id}` : '/');
  });

  // The store owner's back office (the demo has no sign-in for it): the orders, each with its link to the conversion
  // in the Referloop dashboard, resending after an outage, refunds.
  app.get('/admin', (req, res) => {
    res.type('html').send(backOfficePage(context(req, false), orders.list()));
  });
  app.get('/admin/orders/:id', (req, res) => {
    const order = orders.find(req.params.id);
    if (!order) {
      res.status(404).type('html').send(messagePage(context(req, false), 'Order not found', 'We could not find this order.'));
      return;
    }
    res.type('html').send(backOfficeOrderPage(context(req, false), order, collectorOrigin));
  });
  app.post('/admin/orders/:id/resend', async (req, res) => {
    const order = orders.find(req.params.id);
    if (order && order.status !== 'awaiting_payment') await orders.pay(order);
    res.redirect(303, order ? `/admin/orders/${order.id}` : '/admin');
  });
  app.post('/admin/orders/:id/refund', async (req, res) => {
    const order = orders.find(req.params.id);
    if (order) await orders.refund(order);
    res.redirect(303, order ? `/admin/orders/${order.id}` : '/admin');
  });

  app.get('/orders/:id', (req, res) => {
    const order = orders.find(req.params.id);
    if (!order) {
      res.status(404).type('html').send(messagePage(context(req, false), 'Order not found', 'We could not find this order.'));
      return;
    }
    if (order.status === 'awaiting_payment') {
      res.redirect(303, `/orders/${order.id}/pay`);
      return;
    }
    const ownOrder = customerOf(req)?.email.toLowerCase() === order.email.toLowerCase();
    res.type('html').send(orderPage(context(req, false), order, ownOrder));
  });

  // The customer's account: the store's backend recognises them through single sign-on (signed with the secret key,
  // server side) and renders the widget in advocate mode with the session token it got back.
  app.get('/account', async (req, res) => {
    const customer = customerOf(req);
    if (!customer) {
      res.type('html').send(messagePage(context(req, false), 'Your account', 'Your account opens with your first order on this browser.'));
      return;
    }
    res.setHeader('Cache-Control', 'no-store');
    const recognised = await collector.recognize(customer);
    const mine = orders.list().filter((o) => o.email.toLowerCase() === customer.email.toLowerCase());
    const ctx: PageContext = { ...context(req, false), widget: recognised.ok ? widget(recognised.data.session_token) : null };
    const referral = recognised.ok ? 'ready' : recognised.code === 'unavailable' ? 'unavailable' : 'refused';
    if (!recognised.ok) console.error(`demo store: single sign-on of ${customer.id}: ${recognised.message}`);
    res.type('html').send(accountPage(ctx, customer, mine, referral));
  });

  // "Open your referral portal": the customer (recognised as their advocate) is sent to a fresh single-use portal link.
  app.post('/account/portal', async (req, res) => {
    const customer = customerOf(req);
    if (!customer) {
      res.redirect(303, '/account');
      return;
    }
    const recognised = await collector.recognize(customer);
    const link = recognised.ok ? await collector.portalLink(recognised.data.advocate_id) : recognised;
    if (link.ok) {
      res.setHeader('Cache-Control', 'no-store');
      res.redirect(303, link.data.url);
      return;
    }
    console.error(`demo store: portal link of ${customer.id}: ${link.message}`);
    const down = link.code === 'unavailable';
    res.status(down ? 503 : 403).type('html').send(messagePage(context(req, false), 'Your referral portal',
      down ? 'Your referral portal is unavailable right now. Please try again in a moment.' : 'Your referral portal is not available for this account.'));
  });

  app.use((req, res) => {
    res.status(404).type('html').send(messagePage(context(req, false), 'Page not found', 'The page you were looking for is not here.'));
  });
  app.use((err: unknown, req: Request, res: Response, _next: express.NextFunction) => {
    console.error('demo store:', err);
    if (res.headersSent) return;
    res.status(500).type('html').send(messagePage(context(req, false), 'Something went wrong', 'Please try again in a moment.'));
  });
  return app;
}

/** Listens on `port` (0 = any free port; no host = every interface) and resolves with the server and its URL. */
export async function listenStore(app: express.Express, port: number, host?: string): Promise<{ server: Server; url: string }> {
  const server = await new Promise<Server>((resolve, reject) => {
    const s = createServer(app);
    s.once('error', reject);
    s.listen(port, host, () => resolve(s));
  });
  const address = server.address();
  const actual = typeof address === 'object' && address ? address.port : port;
  const shown = host === undefined || host === '0.0.0.0' || host === '::' ? 'localhost' : host;
  return { server, url: `http://${shown}:${actual}` };
}
