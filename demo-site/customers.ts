// The store's customers (in memory): one customer id per email, and the sign-in a checkout gives. The demo has no
// passwords: buying signs the buyer in on that browser, as a shop's guest account would, and the account page is theirs.
import { randomBytes } from 'node:crypto';

export const CUSTOMER_COOKIE = 'lt_customer';

export interface Customer {
  /** the store's own id (cus_…), what single sign-on sends as external_customer_id */
  id: string;
  email: string;
  name: string;
}

const token = (): string => randomBytes(24).toString('base64url');

export function createCustomerBook() {
  const byEmail = new Map<string, Customer>();
  const sessions = new Map<string, string>();

  /** The customer of this email (made on their first order; a later order's name fills one left empty). */
  function customerOf(email: string, rawName: string): Customer {
    const key = email.toLowerCase();
    // Single sign-on signs each field as a line of its message: a name never holds a line break.
    const name = rawName.replace(/[\r\n]+/g, ' ').trim();
    let customer = byEmail.get(key);
    if (!customer) {
      customer = { id: `cus_${randomBytes(6).toString('hex')}`, email, name };
      byEmail.set(key, customer);
    } else if (!customer.name && name) customer.name = name;
    return customer;
  }

  return {
    customerOf,
    /** Signs the customer in: answers the cookie's value. */
    signIn(customer: Customer): string {
      const value = token();
      sessions.set(value, customer.email.toLowerCase());
      return value;
    },
    /** The signed-in customer of a cookie's value, if any. */
    find(value: string | undefined): Customer | undefined {
      const email = value ? sessions.get(value) : undefined;
      return email ? byEmail.get(email) : undefined;
    },
  };
}
