// Where an endpoint may point (every spelling of a local address), and the retry schedule, as numbers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addressKind, endpointUrlProblem } from '../../src/webhooks/address.ts';
import { MAX_ATTEMPTS, nextAttemptAt, RETRY_DELAYS_MS } from '../../src/webhooks/schedule.ts';

test('a URL naming this machine, its networks or the metadata service is refused however it is spelt', () => {
  const refused = [
    'https://127.0.0.1/h', 'https://2130706433/h', 'https://0x7f.1/h', 'https://0177.0.0.1/h', 'https://127.1/h',
    'https://[::1]/h', 'https://[::ffff:127.0.0.1]/h', 'https://[::ffff:7f00:1]/h', 'https://[::7f00:1]/h', 'https://[::127.0.0.1]/h',
    'https://0.0.0.0/h', 'https://[::]/h', 'https://10.1.2.3/h', 'https://172.16.0.1/h', 'https://192.168.1.1/h', 'https://[fd00::1]/h',
    'https://169.254.169.254/latest/meta-data/', 'https://[fe80::1]/h', 'https://100.64.0.1/h', 'https://224.0.0.1/h',
    'https://localhost/h', 'https://localhost./h', 'https://LOCALHOST/h', 'https://api.localhost/h',
  ];
  for (const url of refused) assert.match(endpointUrlProblem(url, false) ?? '', /^must not point at /, url);
  // Not a URL at all (a zone id), and not https, user info, a fragment:
  for (const url of ['https://[fe80::1%25eth0]/h', 'http://example.com/h', 'https://u:p@example.com/h', 'https://example.com/h#x', 'example.com']) {
    assert.notEqual(endpointUrlProblem(url, false), null, url);
  }
  for (const url of ['https://hooks.zapier.com/hooks/catch/1/abc/', 'https://8.8.8.8/h', 'https://[2606:4700::1111]/h', 'https://example.com:8443/x?y=1']) {
    assert.equal(endpointUrlProblem(url, false), null, url);
  }
  // Allowed by the operator: http and local addresses (still no user info).
  assert.equal(endpointUrlProblem('http://127.0.0.1:9000/h', true), null);
  assert.notEqual(endpointUrlProblem('http://u:p@127.0.0.1/h', true), null);
});

test('an address after DNS is told by its kind only', () => {
  assert.equal(addressKind('10.0.0.7'), 'a private address');
  assert.equal(addressKind('::ffff:127.0.0.1'), 'a loopback address');
  assert.equal(addressKind('::7f00:1'), 'an IPv4-compatible address');
  assert.equal(addressKind('93.184.216.34'), null);
});

test('the retry schedule is the Standard Webhooks one: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h, jittered by up to 10%', () => {
  assert.deepEqual(RETRY_DELAYS_MS, [5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 50_400_000, 72_000_000, 86_400_000]);
  assert.equal(MAX_ATTEMPTS, 10);
  const at = new Date('2026-12-01T00:00:00.000Z');
  assert.equal(nextAttemptAt(1, at, 0.5)!.getTime() - at.getTime(), 5_000);
  assert.equal(nextAttemptAt(1, at, 0)!.getTime() - at.getTime(), 4_500);
  assert.equal(nextAttemptAt(9, at, 0.5)!.getTime() - at.getTime(), 86_400_000);
  assert.equal(nextAttemptAt(10, at, 0.5), null, 'after the tenth attempt the delivery has failed');
});
