// Where a webhook may go: https only, and never to this machine, its network or a cloud metadata service, unless the
// operator allows it (REFERLOOP_WEBHOOK_ALLOW_PRIVATE=1). The URL is checked when an endpoint is saved (a clear 400),
// and every address is checked again when an attempt connects, after DNS: the address checked is the address
// connected to, so a name that resolves to a public address at save time and to 127.0.0.1 later (DNS rebinding) is
// refused.
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

/** Whether an endpoint may use the URL's scheme: https, or also http where the operator allows private addresses. */
export const allowedProtocol = (u: URL, allowPrivate: boolean): boolean => u.protocol === 'https:' || (allowPrivate && u.protocol === 'http:');

/** The URL's host when it is a literal address (connected to without a look-up, so checked as written), else null. */
export const literalAddress = (u: URL): string | null => {
  const host = u.hostname.replace(/^\[|\]$/g, '');
  return ipaddr.isValid(host) ? host : null;
};

/** Why `url` cannot be an endpoint, or null. */
export function endpointUrlProblem(url: string, allowPrivate: boolean): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return 'must be an absolute URL such as https://example.com/webhooks';
  }
  if (!allowedProtocol(u, allowPrivate)) {
    return allowPrivate ? 'must be an http:// or https:// URL' : 'must be an https:// URL';
  }
  if (u.username || u.password) return 'must not contain a user name or password (they would be stored in the clear)';
  if (u.hash) return 'must not contain a #fragment';
  if (allowPrivate) return null;
  const host = u.hostname.replace(/^\[|\]$/g, '').replace(/\.$/, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return 'must not point at this machine (localhost)';
  const literal = literalAddress(u);
  const why = literal === null ? null : addressProblem(literal);
  return why ? `must not point at ${why}` : null;
}

/** What kind of refused address `address` is ('a private address'...), or null for a public unicast address. */
export function addressKind(address: string): string | null {
  let ip: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    ip = ipaddr.process(address); // IPv4-mapped IPv6 (::ffff:127.0.0.1) becomes the IPv4 address
  } catch {
    return 'an address that cannot be read';
  }
  const range = ip.range();
  // ::a.b.c.d (IPv4-compatible, deprecated) and the NAT64 prefix carry an IPv4 address that may be this machine's.
  if (ip.kind() === 'ipv6' && (range === 'unicast' ? (ip as ipaddr.IPv6).parts.slice(0, 6).every((p) => p === 0) : false)) {
    return 'an IPv4-compatible address';
  }
  if (range === 'unicast') return null;
  const names: Record<string, string> = {
    loopback: 'a loopback address', private: 'a private address', linkLocal: 'a link-local or metadata address',
    uniqueLocal: 'a private address', unspecified: 'an unspecified address', carrierGradeNat: 'a shared (CGNAT) address',
    broadcast: 'a broadcast address', multicast: 'a multicast address', reserved: 'a reserved address',
  };
  return names[range] ?? `a ${range} address`;
}

/** What a refused address is, with the address as written in the URL ('a private address (10.0.0.1)'), or null. */
export function addressProblem(address: string): string | null {
  const kind = addressKind(address);
  if (kind === null) return null;
  let shown = address;
  try {
    shown = ipaddr.process(address).toString();
  } catch { /* shown as written */ }
  return `${kind} (${shown})`;
}

/** An error an attempt records as refused, never retried into a different answer. */
export class RefusedAddress extends Error {
  readonly code = 'EREFUSEDADDRESS';
}

/**
 * A `lookup` for http.request that resolves as node does and fails with RefusedAddress when an address is not
 * public (unless allowed): the socket connects only to an address that passed.
 */
export function guardedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '', 0);
      const first = addresses[0];
      if (!first) return callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), '', 0);
      // The kind of address only, not the address: the answer is the brand's to read, the operator's network is not.
      const refused = allowPrivate ? undefined : addresses.map((a) => addressKind(a.address)).find((p) => p !== null);
      if (refused) return callback(new RefusedAddress(`refused: ${hostname} resolves to ${refused}`), '', 0);
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      callback(null, first.address, first.family);
    });
  };
}
