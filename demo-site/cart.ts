// The shopping cart: kept in the store's own cookie as "slug:qty|slug:qty", re-validated against the catalog on every read.
import { findProduct, type Product } from './catalog.ts';

export interface CartLine {
  product: Product;
  quantity: number;
}

export const CART_COOKIE = 'lt_cart';
export const MAX_QUANTITY = 10;

/** Pure: unknown products and bad quantities are dropped, so a tampered cookie cannot change a price. */
export function parseCart(value: string | undefined): CartLine[] {
  const lines: CartLine[] = [];
  for (const part of (value ?? '').split('|')) {
    const [slug, qty] = part.split(':');
    const product = slug ? findProduct(slug) : undefined;
    const quantity = Number(qty);
    if (!product || !Number.isInteger(quantity) || quantity < 1) continue;
    const existing = lines.find((l) => l.product.slug === product.slug);
    if (existing) existing.quantity = Math.min(MAX_QUANTITY, existing.quantity + quantity);
    else lines.push({ product, quantity: Math.min(MAX_QUANTITY, quantity) });
  }
  return lines;
}

export const serializeCart = (lines: CartLine[]): string =>
  lines.map((l) => `${l.product.slug}:${l.quantity}`).join('|');

export function addToCart(lines: CartLine[], product: Product, quantity: number): CartLine[] {
  return parseCart(serializeCart([...lines, { product, quantity }]));
}

export const removeFromCart = (lines: CartLine[], slug: string): CartLine[] => lines.filter((l) => l.product.slug !== slug);

export const cartSubtotal = (lines: CartLine[]): number => lines.reduce((sum, l) => sum + l.product.price * l.quantity, 0);

export const cartCount = (lines: CartLine[]): number => lines.reduce((sum, l) => sum + l.quantity, 0);

/** Pure: the request's cookies by name (no cookie-parser dependency for one cookie). */
export function readCookies(header: string | undefined): Record<string, string> {
  const cookies: Record<string, string> = {};
  for (const pair of (header ?? '').split(';')) {
    const at = pair.indexOf('=');
    if (at < 1) continue;
    const name = pair.slice(0, at).trim();
    try {
      cookies[name] = decodeURIComponent(pair.slice(at + 1).trim());
    } catch {
      // a malformed value is ignored, never a 500
    }
  }
  return cookies;
}
