// The store's pages as server-rendered HTML: no inline script or style, every value escaped by `html`.
import { cartCount, cartSubtotal, type CartLine } from './cart.ts';
import { CATALOG, formatMoney, type Product } from './catalog.ts';
import { html, type SafeHtml } from '../collector/src/dashboard/html.ts';
import type { Customer } from './customers.ts';
import type { Order } from './orders.ts';

export const STORE_NAME = 'Loop & Thread';

export interface TrackerTag {
  collectorUrl: string;
  brandId: string;
  publishableKey: string;
  requireConsent: boolean;
  /** data-respect-gpc: a browser with Global Privacy Control on is treated as "no consent" */
  respectGpc: boolean;
}

/** The Referloop widget's tag: referee mode, or advocate mode with a single sign-on session token. */
export interface WidgetTag {
  collectorUrl: string;
  brandId: string;
  publishableKey: string;
  /** rl_st_…: advocate mode for the signed-in customer (the account page only; never cached) */
  ssoToken?: string;
}

export interface PageContext {
  cart: CartLine[];
  /** the al.js tag on shopping pages; null on payment and order pages, which need no referral tracking */
  tracker: TrackerTag | null;
  /**
   * the widget's tag: product pages (referee mode, where it takes the referral banner's place: who referred the
   * visitor and the offer) and the account page (advocate mode)
   */
  widget?: WidgetTag | null;
  /** the signed-in customer (after an order on this browser), for the header's account link */
  customer?: Customer | null;
  /** e.g. "10%": the referee discount promised in the referral banner */
  offer: string;
}

function trackerTag(t: TrackerTag): SafeHtml {
  return html`
  <script src="/store.js"></script>
  <script async src="${t.collectorUrl}/al.js" data-brand="${t.brandId}" data-key="${t.publishableKey}"${t.requireConsent ? html` data-require-consent` : ''}${t.respectGpc ? html` data-respect-gpc` : ''}></script>`;
}

function widgetTag(w: WidgetTag): SafeHtml {
  return html`
  <script async src="${w.collectorUrl}/widget.js" data-brand="${w.brandId}" data-key="${w.publishableKey}"${w.ssoToken ? html` data-sso-token="${w.ssoToken}"` : ''}></script>`;
}

function layout(ctx: PageContext, title: string, body: SafeHtml): string {
  const count = cartCount(ctx.cart);
  return html`<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${title} · ${STORE_NAME}</title>
  <link rel="icon" href="/img/favicon.svg" type="image/svg+xml">
  <link rel="stylesheet" href="/store.css">${ctx.tracker ? trackerTag(ctx.tracker) : html`
  <script src="/store.js"></script>`}${ctx.widget ? widgetTag(ctx.widget) : ''}
</head>
<body>
  <aside class="announcement" aria-label="Shipping and returns">Free shipping on every order &middot; 30-day free returns</aside>
  <header class="site-header">
    <div class="container header-inner">
      <a class="logo" href="/"><img src="/img/logo.svg" alt="" width="28" height="28"><span>${STORE_NAME}</span></a>
      <nav class="site-nav" aria-label="Main">
        <a href="/">Shop</a>
        <a href="/#about">About</a>${ctx.customer ? html`
        <a href="/account">Account</a>` : ''}
        <a class="cart-link" href="/cart">Cart<span class="cart-count" aria-label="${count} items in cart">${count}</span></a>
      </nav>
    </div>
  </header>
${ctx.widget && !ctx.widget.ssoToken ? '' : html`  <div class="referral-banner" data-referral-banner data-offer="${ctx.offer}" role="status" hidden>
    <div class="container referral-banner-inner">
      <img src="/img/gift.svg" alt="" width="28" height="28">
      <p><strong data-referral-title></strong> <span data-referral-detail></span></p>
    </div>
  </div>
`}  <main class="container main">${body}
  </main>
  <footer class="site-footer">
    <div class="container footer-inner">
      <div>
        <p class="footer-brand">${STORE_NAME}</p>
        <p>Organic cotton and natural fibres, made in small batches by people we know.</p>
      </div>
      <ul class="footer-promises">
        <li>Free shipping</li>
        <li>30-day free returns</li>
        <li>Secure checkout</li>
      </ul>
      <p class="footer-note">A demo store for Referloop: no real payments are taken.</p>
    </div>
  </footer>${ctx.tracker?.requireConsent ? consentBar() : ''}
</body>
</html>
`.value;
}

function consentBar(): SafeHtml {
  return html`
  <div class="consent-bar" data-consent-bar role="dialog" aria-label="Cookie consent">
    <p>We use a cookie to remember who referred you, so your referral discount follows you to checkout.</p>
    <div class="consent-actions">
      <button type="button" class="button button-secondary" data-consent-decline>No thanks</button>
      <button type="button" class="button" data-consent-accept>Accept</button>
    </div>
  </div>`;
}

function productCard(p: Product): SafeHtml {
  return html`
      <li class="product-card">
        <a href="/products/${p.slug}">
          <img src="${p.image}" alt="${p.name}" width="400" height="400">
          <span class="product-card-category">${p.category}</span>
          <span class="product-card-name">${p.name}</span>
          <span class="product-card-price">${formatMoney(p.price)}</span>
        </a>
      </li>`;
}

export function homePage(ctx: PageContext): string {
  return layout(ctx, 'Everyday essentials', html`
    <section class="hero">
      <div>
        <p class="hero-kicker">New season</p>
        <h1>Everyday essentials, made to last</h1>
        <p>Soft organic basics and useful things for home, made in small batches and shipped free.</p>
        <a class="button" href="/products/classic-tee">Shop the T-shirt</a>
      </div>
      <img src="/img/tee.svg" alt="" width="280" height="280">
    </section>
    <section aria-labelledby="products-title">
      <h2 id="products-title" class="section-title">Shop the collection</h2>
      <ul class="product-grid">${CATALOG.map(productCard)}
      </ul>
    </section>
    <section id="about" class="about">
      <div>
        <h2>Why Loop &amp; Thread</h2>
        <p>We work with three family workshops in Portugal and Scotland, pay them fairly, and keep every
        product in our range until it is the best we can make it.</p>
      </div>
      <ul class="promise-list">
        <li><strong>Free shipping</strong><span>On every order, no minimum.</span></li>
        <li><strong>30-day returns</strong><span>Changed your mind? Send it back for free.</span></li>
        <li><strong>Secure checkout</strong><span>Your details stay with us.</span></li>
      </ul>
    </section>`);
}

/**
 * Where the widget mounts. Its height is kept for a visitor the store knows was referred (the link's ?ref= or the
 * tracker's al_code cookie), so the page does not move when the widget arrives; an empty one takes no room.
 */
function widgetSlot(mode: 'referee' | 'advocate', reserved: boolean): SafeHtml {
  return html`<div class="widget-slot widget-slot-${mode}${reserved ? ' widget-slot-reserved' : ''}" data-referloop-widget></div>`;
}

export function productPage(ctx: PageContext, p: Product, referred = false): string {
  const quantities = [1, 2, 3, 4, 5];
  return layout(ctx, p.name, html`
    <nav class="breadcrumb" aria-label="Breadcrumb"><a href="/">Shop</a> <span aria-hidden="true">/</span> ${p.category}</nav>
    <article class="product">
      <img class="product-image" src="${p.image}" alt="${p.name}" width="560" height="560">
      <div class="product-info">
        <p class="product-category">${p.category}</p>
        <h1>${p.name}</h1>
        <p class="product-price">${formatMoney(p.price)}</p>
        <p class="product-summary">${p.summary}</p>
        ${widgetSlot('referee', referred)}
        <form class="add-to-cart" method="post" action="/cart" data-submit-once>
          <input type="hidden" name="slug" value="${p.slug}">
          <label for="quantity">Quantity</label>
          <select id="quantity" name="quantity">${quantities.map((q) => html`<option value="${q}">${q}</option>`)}</select>
          <button type="submit" class="button button-wide">Add to cart</button>
        </form>
        <ul class="product-details">${p.details.map((d) => html`<li>${d}</li>`)}</ul>
        <ul class="trust-row">
          <li>Free shipping</li><li>30-day returns</li><li>Secure checkout</li>
        </ul>
      </div>
    </article>`);
}

function summaryLines(lines: CartLine[]): SafeHtml {
  return html`${lines.map((l) => html`
        <li class="line">
          <img src="${l.product.image}" alt="" width="64" height="64">
          <span class="line-name">${l.product.name}<small>Qty ${l.quantity} &middot; ${formatMoney(l.product.price)} each</small></span>
          <span class="line-total">${formatMoney(l.product.price * l.quantity)}</span>
        </li>`)}`;
}

export function cartPage(ctx: PageContext, form: { error?: string; email?: string; name?: string } = {}): string {
  if (ctx.cart.length === 0) {
    return layout(ctx, 'Your cart', html`
    <section class="empty">
      <h1>Your cart is empty</h1>
      <p>Have a look around: everything ships free.</p>
      <a class="button" href="/">Continue shopping</a>
    </section>`);
  }
  return layout(ctx, 'Your cart', html`
    <h1 class="page-title">Your cart</h1>
    <div class="checkout-grid">
      <section class="panel" aria-labelledby="cart-items">
        <h2 id="cart-items">Items</h2>
        <ul class="lines">${ctx.cart.map((l) => html`
          <li class="line">
            <img src="${l.product.image}" alt="" width="64" height="64">
            <span class="line-name"><a href="/products/${l.product.slug}">${l.product.name}</a><small>Qty ${l.quantity} &middot; ${formatMoney(l.product.price)} each</small></span>
            <span class="line-total">${formatMoney(l.product.price * l.quantity)}</span>
            <form method="post" action="/cart/remove" class="line-remove">
              <input type="hidden" name="slug" value="${l.product.slug}">
              <button type="submit" class="link-button" aria-label="Remove ${l.product.name}">Remove</button>
            </form>
          </li>`)}
        </ul>
        <dl class="totals">
          <div><dt>Subtotal</dt><dd>${formatMoney(cartSubtotal(ctx.cart))}</dd></div>
          <div><dt>Shipping</dt><dd>Free</dd></div>
        </dl>
      </section>
      <section class="panel" aria-labelledby="checkout-title">
        <h2 id="checkout-title">Checkout</h2>
        ${form.error ? html`<p class="notice notice-error" role="alert">${form.error}</p>` : ''}
        <form method="post" action="/checkout" class="checkout-form" data-submit-once>
          <label for="email">Email</label>
          <input id="email" name="email" type="email" autocomplete="email" required maxlength="254" value="${form.email ?? ''}">
          <label for="name">Full name</label>
          <input id="name" name="name" type="text" autocomplete="name" maxlength="100" value="${form.name ?? ''}">
          <input type="hidden" name="referral_code" data-al="code">
          <input type="hidden" name="visitor_id" data-al="visitor_id">
          <p class="referral-note" data-referral-note hidden>Referral code <strong data-referral-code></strong>: your discount is applied on the next step.</p>
          <button type="submit" class="button button-wide">Continue to payment</button>
        </form>
        <p class="secure-note">Secure checkout. We only use your email for your order.</p>
      </section>
    </div>`);
}

function totals(order: Order): SafeHtml {
  return html`
        <dl class="totals">
          <div><dt>Subtotal</dt><dd>${formatMoney(order.subtotal)}</dd></div>${order.discount > 0 ? html`
          <div class="discount"><dt>Referral discount (${order.referral?.code})</dt><dd>&minus;${formatMoney(order.discount)}</dd></div>` : ''}
          <div><dt>Shipping</dt><dd>Free</dd></div>
          <div class="grand-total"><dt>Total</dt><dd>${formatMoney(order.total)}</dd></div>
        </dl>`;
}

function referralNotice(order: Order): SafeHtml | '' {
  const r = order.referral;
  if (!r) return '';
  if (r.outcome === 'applied') return html`<p class="notice notice-success">Referral discount applied: you save ${formatMoney(order.discount)}.</p>`;
  if (r.outcome === 'already_claimed') return html`<p class="notice notice-success">Welcome back: your referral discount is still applied.</p>`;
  if (r.outcome === 'rejected') return html`<p class="notice">This referral discount can't be used for this order: ${r.message ?? ''}</p>`;
  return html`<p class="notice">We couldn't confirm your referral discount right now. You can still place your order.</p>`;
}

export function paymentPage(ctx: PageContext, order: Order): string {
  return layout(ctx, 'Review and pay', html`
    <h1 class="page-title">Review and pay</h1>
    <div class="checkout-grid">
      <section class="panel" aria-labelledby="summary-title">
        <h2 id="summary-title">Order summary</h2>
        <ul class="lines">${summaryLines(order.lines)}
        </ul>${totals(order)}
      </section>
      <section class="panel" aria-labelledby="payment-title">
        <h2 id="payment-title">Payment</h2>
        ${referralNotice(order)}
        <p class="muted">Order for ${order.name || order.email} &middot; confirmation to ${order.email}</p>
        <div class="card-box">
          <img src="/img/lock.svg" alt="" width="20" height="20">
          <span>Demo payment: no card is needed and nothing is charged.</span>
        </div>
        <form method="post" action="/orders/${order.id}/pay" data-submit-once>
          <button type="submit" class="button button-wide">Pay ${formatMoney(order.total)}</button>
        </form>
      </section>
    </div>`);
}

const titleCase = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1).replace(/_/g, ' ');

/** Where the store owner sees what Referloop made of an order: the dashboard's page of its conversion. */
export const dashboardConversionUrl = (collectorUrl: string, conversionId: number): string =>
  `${collectorUrl}/dashboard/conversions/${conversionId}`;

/**
 * The store owner's side of the demo (not the customer's order page): what was sent to Referloop, the link to the
 * conversion in the Referloop dashboard, resending after an outage, and the refund a shop's back office makes.
 */
export function backOfficeOrderPage(ctx: PageContext, order: Order, collectorUrl: string): string {
  const c = order.conversion;
  const status = order.refund?.status ?? c?.status ?? order.status;
  return layout(ctx, `Back office: order ${order.id}`, html`
    <section class="panel owner-panel" aria-labelledby="backoffice-title">
      <h1 id="backoffice-title">Order ${order.id} <span class="tag">store back office</span></h1>
      <p class="muted">The shop owner's view of this order (the demo has no sign-in for it); the customer never sees this page.</p>
      ${order.trackingError ? html`<p class="notice notice-error" role="alert">Referral tracking is unavailable right now (${order.trackingError}). The order is safe; send it again later.</p>` : ''}
      <dl class="facts">
        <div><dt>Customer</dt><dd>${order.email}</dd></div>
        <div><dt>Total</dt><dd>${formatMoney(order.total)}</dd></div>
        <div><dt>Order status</dt><dd><span class="badge badge-${status}" data-fact="order-status">${titleCase(status)}</span></dd></div>
      </dl>
      ${c ? html`<p><a class="button" data-dashboard-link href="${dashboardConversionUrl(collectorUrl, c.conversion_id)}">See its referral in the Referloop dashboard</a></p>
      <p class="muted">The dashboard shows the code, how the order was attributed, the advocate's reward and its status.</p>` : ''}
      ${order.status === 'paid' && !c ? html`
      <form method="post" action="/admin/orders/${order.id}/resend" data-submit-once>
        <button type="submit" class="button button-secondary">Send to Referloop again</button>
      </form>` : ''}
      ${order.status === 'paid' ? html`
      <form method="post" action="/admin/orders/${order.id}/refund" data-submit-once>
        <button type="submit" class="button button-danger">Refund order (${formatMoney(order.total)})</button>
      </form>` : ''}
      ${order.status === 'refunded' && c && !order.refund ? html`
      <form method="post" action="/admin/orders/${order.id}/refund" data-submit-once>
        <button type="submit" class="button button-secondary">Send refund to Referloop again</button>
      </form>` : ''}
    </section>
    <p class="center"><a class="button button-secondary" href="/admin">All orders</a></p>`);
}

/** The back office's list of this run's orders, newest first. */
export function backOfficePage(ctx: PageContext, orders: Order[]): string {
  return layout(ctx, 'Back office', html`
    <section class="panel owner-panel" aria-labelledby="orders-title">
      <h1 id="orders-title">Orders <span class="tag">store back office</span></h1>
      ${orders.length ? html`<ul class="lines">${orders.map((o) => html`
        <li><a href="/admin/orders/${o.id}">${o.id}</a> &middot; ${o.email} &middot; ${formatMoney(o.total)} &middot; ${titleCase(o.status)}</li>`)}
      </ul>` : html`<p>No orders yet: buy something through a referral link first.</p>`}
    </section>`);
}

/** The order confirmation's invitation, for the customer who placed it: their portal, and their account's link. */
function referFriends(): SafeHtml {
  return html`
    <section class="panel refer-panel" aria-labelledby="refer-title">
      <h2 id="refer-title">Share Loop &amp; Thread, earn rewards</h2>
      <p>Friends you refer get a discount on their first order, and you earn a reward for each one who buys.</p>
      <div class="refer-actions">
        <form method="post" action="/account/portal" data-submit-once>
          <button type="submit" class="button">Open your referral portal</button>
        </form>
        <a class="button button-secondary" href="/account">Get your referral link</a>
      </div>
    </section>`;
}

export function orderPage(ctx: PageContext, order: Order, ownOrder = false): string {
  const refunded = order.status === 'refunded';
  const greeting = order.name ? `Thank you, ${order.name.split(/\s+/)[0]}!` : 'Thank you!';
  return layout(ctx, `Order ${order.id}`, html`
    <section class="confirmation">
      <img src="/img/check.svg" alt="" width="48" height="48">
      <div>
        <h1>${refunded ? 'Order refunded' : greeting}</h1>
        <p>${refunded
          ? html`Order <strong>${order.id}</strong> was refunded in full (${formatMoney(order.total)}).`
          : html`Order <strong>${order.id}</strong> is confirmed. A receipt is on its way to ${order.email}.`}</p>
      </div>
    </section>
    <div class="checkout-grid">
      <section class="panel" aria-labelledby="summary-title">
        <h2 id="summary-title">Order summary</h2>
        <ul class="lines">${summaryLines(order.lines)}
        </ul>${totals(order)}
      </section>
    </div>${ownOrder ? referFriends() : ''}
    <p class="center"><a class="button button-secondary" href="/">Continue shopping</a></p>`);
}

/**
 * The signed-in customer's account: their orders, and their referral link in the widget's advocate mode (the page's
 * widget tag carries the session token single sign-on gave this server). `referral` says why there is no widget.
 */
export function accountPage(ctx: PageContext, customer: Customer, orders: Order[], referral: 'ready' | 'unavailable' | 'refused'): string {
  return layout(ctx, 'Your account', html`
    <h1 class="page-title">Your account</h1>
    <p class="muted">Signed in as ${customer.email}.</p>
    <div class="account-grid">
      <section class="panel" aria-labelledby="referral-title">
        <h2 id="referral-title">Refer a friend</h2>
        ${referral === 'ready' ? html`<p>Share your link: friends get a discount, and you earn a reward when they buy.</p>
        ${widgetSlot('advocate', true)}` : referral === 'refused'
          ? html`<p class="notice" role="status">Your referral link is not available for this account.</p>`
          : html`<p class="notice" role="status">We couldn't load your referral link right now. Please try again in a moment.</p>`}
        <form method="post" action="/account/portal" data-submit-once>
          <button type="submit" class="button button-secondary">Open your referral portal</button>
        </form>
      </section>
      <section class="panel" aria-labelledby="orders-title">
        <h2 id="orders-title">Your orders</h2>
        <ul class="lines">${orders.map((o) => html`
          <li><a href="/orders/${o.id}">${o.id}</a> &middot; ${formatMoney(o.total)} &middot; ${titleCase(o.status)}</li>`)}
        </ul>
      </section>
    </div>`);
}

export function messagePage(ctx: PageContext, title: string, message: string): string {
  return layout(ctx, title, html`
    <section class="empty">
      <h1>${title}</h1>
      <p>${message}</p>
      <a class="button" href="/">Back to the shop</a>
    </section>`);
}
