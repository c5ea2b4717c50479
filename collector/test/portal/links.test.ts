// The portal's link builder (/portal/links, issue 14): a page of the shop and the UTM fields make the session's
// advocate's referral link, which al.js reads back as their code and those fields; a page off the brand's origins, a
// javascript: URL, an overlong field and a form without the session's CSRF token are refused naming the field; nothing
// is kept.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { startTestCollector } from '../support/collector.ts';
import { fieldError, textOf, type DashboardClient } from '../support/dashboard.ts';
import { inPortal } from '../support/portal.ts';
import { advocateId, PATHS, row } from '../support/fixtures.ts';
import { readLanding } from '../../../tracker/src/landing.ts';

async function setUp(t: TestContext, origins = ['https://shop.example', 'https://blog.shop.example']) {
  const c = await startTestCollector();
  t.after(() => c.close());
  assert.equal((await c.call('PATCH', '/api/v1/settings', { allowed_origins: origins })).status, 200);
  const client = await inPortal(c, await advocateId(c, 'JOHN123'));
  assert.equal((await client.get('/portal/links')).status, 200);
  return { c, client };
}

const UTM = { utm_source: 'newsletter', utm_medium: 'email', utm_campaign: 'spring sale', utm_term: 'tee & tote', utm_content: 'footer-button' };

/** The link the page answered (the read-only field of the result), or null. */
const builtLink = (text: string) => /<input id="built" class="link" size="60" readonly value="([^"]*)">/.exec(text)?.[1]?.replace(/&amp;/g, '&') ?? null;

async function build(client: DashboardClient, form: Record<string, string>) {
  return client.post('/portal/links', form);
}

test('the builder\'s link is the page with the UTM fields and ?ref=CODE, and al.js reads the code and fields back from it', async (t) => {
  const { c, client } = await setUp(t);
  const page = await client.get('/portal/links');
  assert.match(page.text, /<label for="f-landing_page">Page of the shop \(its address\)<\/label>/);
  assert.match(page.text, /<a href="\/portal\/links" aria-current="page">Link builder<\/a>/);
  for (const name of Object.keys(UTM)) assert.match(page.text, new RegExp(`<input id="f-${name}" name="${name}" type="text"`));
  assert.doesNotMatch(page.text, /<script(?![^>]*\bsrc=)|\sstyle=/);

  const res = await build(client, { landing_page: 'https://blog.shop.example/posts/tees?lang=en&ref=OLD#comments', ...UTM });
  assert.equal(res.status, 200, res.text.slice(0, 400));
  const link = builtLink(res.text);
  assert.ok(link, 'the link is shown');
  const url = new URL(link);
  assert.equal(url.origin, 'https://blog.shop.example');
  assert.equal(url.pathname, '/posts/tees');
  assert.equal(url.hash, '#comments', 'the page\'s fragment kept');
  assert.equal(url.searchParams.get('lang'), 'en', 'the page\'s own parameters kept');
  assert.deepEqual(url.searchParams.getAll('ref'), ['JOHN123'], 'the code replaces a ref the page had');
  for (const [name, value] of Object.entries(UTM)) assert.equal(url.searchParams.get(name), value, name);
  // What the tracker reads on landing there: the code and the five fields, as the visit reports them.
  assert.deepEqual(readLanding(url.search), { ...UTM, referral_code: 'JOHN123' });
  const visit = await c.post(PATHS.visit, { ...readLanding(url.search), landing_page: link, visitor_id: 'v-built' });
  assert.equal(visit.status, 200, JSON.stringify(visit.body));
  assert.deepEqual(await row(c, 'SELECT advocate_id, utm_source, utm_campaign, landing_page FROM visits WHERE visitor_id = ?', 'v-built'),
    { advocate_id: await advocateId(c, 'JOHN123'), utm_source: 'newsletter', utm_campaign: 'spring sale', landing_page: link });
  // The form keeps what was sent; the result has a Copy button and its QR code.
  assert.match(res.text, /<input id="f-utm_term" name="utm_term" type="text" value="tee &amp; tote"/);
  assert.match(res.text, /<button type="button" data-copy-input="built" hidden>Copy<\/button>/);
  assert.match(res.text, /<svg [^>]*class="qr" role="img" aria-label="QR code of the link built, /);

  // Only the page: no UTM field is needed.
  const plain = builtLink((await build(client, { landing_page: 'https://shop.example' })).text);
  assert.equal(plain, 'https://shop.example/?ref=JOHN123');
});

test('a page off the brand\'s origins, a javascript: URL, an overlong field or a form without the CSRF token are refused naming the field', async (t) => {
  const { c, client } = await setUp(t);
  const keys = async () => Number((await row(c, 'SELECT count(*) AS n FROM idempotency_keys')).n);
  const before = await keys();
  const refusals: Array<[Record<string, string>, string, RegExp]> = [
    [{ landing_page: 'https://evil.example/shop' }, 'landing_page', /^must be a page of https:\/\/shop\.example, https:\/\/blog\.shop\.example/],
    [{ landing_page: 'http://shop.example/' }, 'landing_page', /^must be a page of /],
    [{ landing_page: 'https://shop.example.evil.example/' }, 'landing_page', /^must be a page of /],
    [{ landing_page: 'javascript:alert(document.cookie)' }, 'landing_page', /^must be an http:\/\/ or https:\/\/ address/],
    [{ landing_page: 'JavaScript://shop.example/%0aalert(1)' }, 'landing_page', /^must be an http:\/\/ or https:\/\/ address/],
    [{ landing_page: '/relative/page' }, 'landing_page', /^must be an http:\/\/ or https:\/\/ address/],
    [{ landing_page: '' }, 'landing_page', /must not be empty/],
    [{ landing_page: `https://shop.example/${'a'.repeat(2100)}` }, 'landing_page', /^must be at most 2048 characters$/],
    [{ landing_page: `https://shop.example/${'a'.repeat(1900)}`, utm_content: 'b'.repeat(200) }, 'landing_page', /^makes a link of \d+ characters with these fields: at most 2048$/],
    [{ landing_page: 'https://shop.example/', utm_campaign: 'c'.repeat(256) }, 'utm_campaign', /^must be at most 255 characters$/],
    [{ landing_page: 'https://shop.example/', utm_source: 'a\u0000b' }, 'utm_source', /NUL/],
  ];
  for (const [form, name, message] of refusals) {
    const res = await build(client, form);
    const label = JSON.stringify(form).slice(0, 80);
    assert.equal(res.status, 400, label);
    assert.match(fieldError(res, name) ?? '', message, label);
    assert.equal(builtLink(res.text), null, `no link: ${label}`);
    assert.match(res.text, /aria-invalid="true"/, label);
  }
  const forged = await client.post('/portal/links', { landing_page: 'https://shop.example/', _csrf: 'forged' });
  assert.equal(forged.status, 403);
  assert.equal(await keys(), before, 'nothing kept');
});

test('the link is the session\'s advocate\'s; a brand without origins says the page cannot be checked', async (t) => {
  const { c } = await setUp(t);
  const jane = await inPortal(c, await advocateId(c, 'V2AVMRDJ'));
  await jane.get('/portal/links');
  const theirs = builtLink((await build(jane, { landing_page: 'https://shop.example/', ref: 'JOHN123', advocate_id: '1' })).text);
  assert.equal(theirs, 'https://shop.example/?ref=V2AVMRDJ', 'a form naming another code or advocate changes nothing');

  assert.equal((await c.call('PATCH', '/api/v1/settings', { allowed_origins: [] })).status, 200);
  const res = await build(jane, { landing_page: 'https://shop.example/' });
  assert.equal(res.status, 400);
  assert.match(fieldError(res, 'landing_page') ?? '', /cannot be checked: the shop has not set its sites/);
  assert.match(textOf(res.text), /landing_page: cannot be checked/);
});
