// The pure parts of the tracker: reading a landing URL and listing cookie-domain candidates.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readLanding } from '../src/landing.ts';
import { domainCandidates } from '../src/cookies.ts';

test('the code comes from ?ref= by default, with the five UTM fields', () => {
  const landing = readLanding('?ref=DEMO10&utm_source=sms&utm_medium=share&utm_campaign=spring&utm_term=t&utm_content=c');
  assert.deepEqual(landing, {
    referral_code: 'DEMO10',
    utm_source: 'sms',
    utm_medium: 'share',
    utm_campaign: 'spring',
    utm_term: 't',
    utm_content: 'c',
  });
});

test('configured parameters are tried in order and empty values are skipped', () => {
  assert.equal(readLanding('?via=&code=B&ref=C', 'via, code,ref').referral_code, 'B');
  assert.equal(readLanding('?ref=C', 'via,code').referral_code, undefined);
  assert.equal(readLanding('?ref=', undefined).referral_code, undefined);
});

test('only known UTM fields are kept, and values are decoded', () => {
  const landing = readLanding('?ref=A%20B&utm_id=9&utm_source=&utm_medium=e%2Dmail');
  assert.deepEqual(landing, { referral_code: 'A B', utm_medium: 'e-mail' });
});

test('cookie domains are tried from the shortest suffix up', () => {
  assert.deepEqual(domainCandidates('a.b.example.co.uk'), [
    'uk',
    'co.uk',
    'example.co.uk',
    'b.example.co.uk',
    'a.b.example.co.uk',
  ]);
  assert.deepEqual(domainCandidates('shop.example.com'), ['com', 'example.com', 'shop.example.com']);
});

test('localhost and IP addresses get host-only cookies', () => {
  for (const host of ['localhost', '127.0.0.1', '10.0.0.12', '[::1]', '::1', 'intranet']) {
    assert.deepEqual(domainCandidates(host), [], host);
  }
});
