// Money and percentages: decimals at the edge, integer minor units (cents) and basis points inside.

/** 999,999,999.99: keeps cents × basis points inside Number.MAX_SAFE_INTEGER. */
export const MAX_CENTS = 99_999_999_999;

export type ParseResult = { ok: true; value: number } | { ok: false; message: string };

/**
 * Parses a JSON number or a plain decimal string ("108.00", as Zapier sends) into hundredths.
 * Hundredths are cents for money and basis points for a percentage (12.5 -> 1250).
 */
export function parseHundredths(input: unknown): ParseResult {
  let text: string;
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) return { ok: false, message: 'must be a finite number' };
    text = String(input);
  } else if (typeof input === 'string') {
    text = input;
  } else {
    return { ok: false, message: 'must be a number or a decimal string' };
  }
  if (text.startsWith('-')) return { ok: false, message: 'must not be negative' };
  if (/e/i.test(text)) {
    // String(n) uses exponents only for tiny (< 1e-6) or huge (>= 1e21) numbers: both are out of range.
    return { ok: false, message: Number(text) < 1 ? 'must have at most two decimal places' : 'is too large' };
  }
  const m = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (!m) return { ok: false, message: 'must be a plain decimal number such as 108.00' };
  const fraction = m[2] ?? '';
  if (fraction.length > 2) return { ok: false, message: 'must have at most two decimal places' };
  const whole = m[1]!.replace(/^0+(?=\d)/, '');
  if (whole.length > 9) return { ok: false, message: 'is too large (at most 999999999.99)' };
  return { ok: true, value: Number(whole) * 100 + Number(fraction.padEnd(2, '0')) };
}

/** Cents -> the API's decimal number (5.70 is answered as 5.7: JSON has no trailing zeros). */
export const toDecimal = (hundredths: number): number => hundredths / 100;

/** toDecimal's inverse, for a decimal amount as the API answers it (the dashboard shows such answers with Intl). */
export const toHundredths = (decimal: number): number => Math.round(decimal * 100);

/** amount × (basisPoints / 10000), rounded half away from zero, in integer arithmetic. */
export function applyBasisPoints(amountCents: number, basisPoints: number): number {
  const product = Math.abs(amountCents * basisPoints);
  const rounded = Math.floor((product + 5_000) / 10_000);
  return Math.sign(amountCents * basisPoints) * rounded;
}

/** amount × numerator / denominator, rounded half away from zero (proportional refunds). */
export function prorate(amount: number, numerator: number, denominator: number): number {
  if (denominator === 0) return 0;
  const exact = (amount * numerator) / denominator;
  return Math.sign(exact) * Math.round(Math.abs(exact));
}
