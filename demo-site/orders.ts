// The store's orders (in memory) and the three moments it tells Referloop about: checkout, payment, refund.
import { randomBytes } from 'node:crypto';
import { cartSubtotal, type CartLine } from './cart.ts';
import { toCents, toDecimal } from './catalog.ts';
import type { ConversionResult, RefundResult } from '../client/src/index.ts';
import type { CollectorClient, ProductLine } from './collectorClient.ts';

/** What happened to the referral code at checkout. */
export type ReferralOutcome =
  /** the collector accepted the claim: its discount is applied */
  | 'applied'
  /** the same customer claimed this code in the last 24 h: the earlier claim stands and the discount still applies */
  | 'already_claimed'
  /** the collector refused the code for this customer (unknown code, self-referral, already redeemed...) */
  | 'rejected'
  /** the collector could not be reached: no discount, but the code still travels with the conversion */
  | 'unverified';

export interface Order {
  id: string;
  createdAt: string;
  email: string;
  name: string;
  visitorId: string | undefined;
  lines: CartLine[];
  subtotal: number;
  discount: number;
  total: number;
  referral: { code: string; outcome: ReferralOutcome; message?: string | undefined } | null;
  status: 'awaiting_payment' | 'paid' | 'refunded';
  /** the collector's answer to the conversion, once paid */
  conversion: ConversionResult | null;
  refund: RefundResult | null;
  /** the last failed call to the collector, shown on the order page (the shop itself carries on) */
  trackingError: string | null;
}

export interface CheckoutInput {
  email: string;
  name: string;
  referralCode: string | undefined;
  visitorId: string | undefined;
}

const productLines = (lines: CartLine[]): ProductLine[] =>
  lines.map((l) => ({ name: l.product.name, sku: l.product.sku, price: toDecimal(l.product.price), quantity: l.quantity }));

const newOrderId = (): string => `LT-${randomBytes(4).toString('hex').toUpperCase()}`;

export function createOrderBook(collector: CollectorClient, opts: { refereeDiscountPercent: number; now: () => Date }) {
  const orders = new Map<string, Order>();

  /** Checkout: claims the referral discount server-side, then keeps the order until it is paid. */
  async function checkout(lines: CartLine[], input: CheckoutInput): Promise<Order> {
    const subtotal = cartSubtotal(lines);
    let discount = 0;
    let referral: Order['referral'] = null;
    if (input.referralCode) {
      const claim = await collector.claim({
        referral_code: input.referralCode,
        customer_email: input.email,
        customer_name: input.name || undefined,
        visitor_id: input.visitorId,
        raw_value: toDecimal(subtotal),
        products: productLines(lines),
      });
      if (claim.ok) {
        discount = toCents(claim.data.discount_applied);
        referral = { code: claim.data.referral_code, outcome: 'applied' };
      } else if (claim.code === 'duplicate_claim') {
        discount = Math.round((subtotal * opts.refereeDiscountPercent) / 100);
        referral = { code: input.referralCode.toUpperCase(), outcome: 'already_claimed' };
      } else if (claim.code === 'unavailable') {
        referral = { code: input.referralCode.toUpperCase(), outcome: 'unverified', message: claim.message };
      } else {
        referral = { code: input.referralCode.toUpperCase(), outcome: 'rejected', message: claim.message };
      }
    }
    const order: Order = {
      id: newOrderId(),
      createdAt: opts.now().toISOString(),
      email: input.email,
      name: input.name,
      visitorId: input.visitorId,
      lines,
      subtotal,
      discount,
      total: subtotal - discount,
      referral,
      status: 'awaiting_payment',
      conversion: null,
      refund: null,
      trackingError: null,
    };
    orders.set(order.id, order);
    return order;
  }

  /**
   * Payment succeeded: report the conversion. order_id makes the call idempotent, so paying again (a double
   * click, or the "retry" button after the collector was down) never counts the order twice.
   */
  async function pay(order: Order): Promise<Order> {
    if (order.status === 'awaiting_payment') order.status = 'paid';
    if (order.conversion) return order;
    // A code the collector refused (e.g. self-referral) must not earn a reward through the conversion either.
    const code = order.referral && order.referral.outcome !== 'rejected' ? order.referral.code : undefined;
    const answer = await collector.conversion({
      order_id: order.id,
      order_value: toDecimal(order.total),
      customer_email: order.email,
      customer_name: order.name || undefined,
      visitor_id: order.visitorId,
      referral_code: code,
      products: productLines(order.lines),
      source: 'demo-store',
    });
    if (answer.ok) {
      order.conversion = answer.data;
      order.trackingError = null;
    } else {
      order.trackingError = answer.message;
    }
    return order;
  }

  /** A full refund: the store refunds its customer, then tells the collector so the advocate's reward is reversed. */
  async function refund(order: Order): Promise<Order> {
    if (order.status !== 'paid' && order.status !== 'refunded') return order;
    order.status = 'refunded';
    if (order.refund || !order.conversion) return order;
    const answer = await collector.refund({
      order_id: order.id,
      refund_amount: toDecimal(order.total),
      is_full_refund: true,
      // a repeated refund_id is never subtracted twice
      refund_id: `${order.id}-R1`,
    });
    if (answer.ok) {
      order.refund = answer.data;
      order.trackingError = null;
    } else {
      order.trackingError = answer.message;
    }
    return order;
  }

  return { checkout, pay, refund, find: (id: string): Order | undefined => orders.get(id), list: (): Order[] => [...orders.values()].reverse() };
}

export type OrderBook = ReturnType<typeof createOrderBook>;
