// The portal's testimonial (/portal/testimonial, issue 14) over HTTP, as one advocate: the form submits through
// POST /api/v1/testimonials's schema and use case as the session's advocate (pending, testimonial.created), once per
// form; the advocate's own testimonials with their status, and nobody else's; a refusal names its field and writes
// nothing; a POST without the CSRF token is a 403.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TestCollector } from '../support/collector.ts';
import { fieldError, noticeAfter, rowWith, textOf } from '../support/dashboard.ts';
import { inPortal } from '../support/portal.ts';
import { databaseText, formIdOf, portalTestCollector } from '../support/portalPages.ts';
import { advocateId, row } from '../support/fixtures.ts';
import { storedEvents, subscribeEndpoint } from '../support/webhookFixtures.ts';

const testimonials = async (c: TestCollector) => (await c.call('GET', '/api/v1/testimonials')).body.data.testimonials as Array<Record<string, unknown>>;
const stored = async (c: TestCollector) => Number((await row(c, 'SELECT count(*) AS n FROM testimonials')).n);

test('the form submits a pending testimonial as this advocate, with its event; their own testimonials show their status', async (t) => {
  const c = await portalTestCollector(t);
  const endpoint = await subscribeEndpoint(c, ['testimonial.created']);
  const john = await advocateId(c, 'JOHN123');
  const sarah = await advocateId(c, 'V2AVMRDJ');
  assert.equal((await c.call('POST', '/api/v1/testimonials', { advocate_id: sarah, rating: 3, text: 'Sarah was here' })).status, 201);
  const other = await c.addBrand();
  const theirJohn = await advocateId(c, 'JOHN123', other);
  assert.equal((await c.call('POST', '/api/v1/testimonials', { advocate_id: theirJohn, rating: 1, text: 'Other brand words' }, { brand: other })).status, 201);

  const client = await inPortal(c, john);
  const page = await client.get('/portal/testimonial');
  assert.equal(page.status, 200, page.text.slice(0, 300));
  assert.match(page.text, /<a href="\/portal\/testimonial" aria-current="page">/);
  for (const [name, label] of [['rating', 'Your rating'], ['text', 'Your testimonial'], ['product', 'The product it is about \\(optional\\)']]) {
    assert.match(page.text, new RegExp(`<label for="f-${name}">${label}</label>`));
  }
  assert.match(textOf(page.text), /You have sent no testimonial yet/);

  const sent = await client.post('/portal/testimonial', {
    rating: '5', text: 'Ordered twice already.', product: 'Trail runner', advocate_id: String(sarah), form_id: formIdOf(page),
  });
  assert.match(await noticeAfter(client, sent), /Thank you: your testimonial is saved, and waits for the shop to review it/);
  const mine = (await testimonials(c)).find((x) => x.text === 'Ordered twice already.')!;
  assert.deepEqual({ ...mine, id: 0, created_at: '', updated_at: '' }, {
    id: 0, advocate_id: john, name: 'John Smith', email: null, rating: 5, text: 'Ordered twice already.', product: 'Trail runner',
    status: 'pending', source: 'api', created_at: '', updated_at: '', moderated_at: null,
  });
  const events = (await storedEvents(c, { endpointId: endpoint.id })).map((e) => [e.type, e.body.data.id, e.body.data.advocate_id]);
  assert.deepEqual(events.at(-1), ['testimonial.created', mine.id, john]);

  assert.equal((await client.post('/portal/testimonial', { rating: '4', text: 'Second one', form_id: formIdOf(await client.get('/portal/testimonial')) })).status, 303);
  assert.equal((await c.call('PATCH', `/api/v1/testimonials/${mine.id}`, { status: 'approved' })).status, 200);
  const list = await client.get('/portal/testimonial');
  assert.match(rowWith(list, 'Ordered twice already.'), /5 of 5 Trail runner Ordered twice already\. approved approved: the shop may show it/);
  assert.match(rowWith(list, 'Second one'), /4 of 5 Second one pending waiting for the shop to review it/);
  for (const hidden of ['Sarah was here', 'Other brand words']) assert.ok(!list.text.includes(hidden), `${hidden} is not shown`);
});

test('a refusal names its field and writes nothing; a double press saves once; no CSRF: 403', async (t) => {
  const c = await portalTestCollector(t);
  const john = await advocateId(c, 'JOHN123');
  const client = await inPortal(c, john);
  await client.get('/portal/testimonial');
  const everything = await databaseText(c);
  const badRating = await client.post('/portal/testimonial', { rating: '9', text: 'Fine' });
  assert.equal(badRating.status, 400);
  assert.match(fieldError(badRating, 'rating') ?? '', /must be at most 5/);
  assert.match(badRating.text, /<textarea id="f-text" name="text"[^>]*>Fine<\/textarea>/, 'what was written is kept');
  const noText = await client.post('/portal/testimonial', { rating: '4', text: '   ' });
  assert.equal(noText.status, 400);
  assert.match(fieldError(noText, 'text') ?? '', /must not be empty/);
  const longProduct = await client.post('/portal/testimonial', { rating: '4', text: 'Fine', product: 'x'.repeat(201) });
  assert.match(fieldError(longProduct, 'product') ?? '', /at most 200 characters/);
  assert.equal(await stored(c), 0);

  const noCsrf = await client.post('/portal/testimonial', { rating: '4', text: 'Fine' }, { csrf: false });
  assert.equal(noCsrf.status, 403);
  assert.equal(await stored(c), 0);
  assert.equal(await databaseText(c), everything, 'nothing changed anywhere');

  const page = await client.get('/portal/testimonial');
  const formId = formIdOf(page);
  const first = await client.post('/portal/testimonial', { rating: '4', text: 'Once', form_id: formId });
  assert.equal(first.status, 303);
  const again = await client.post('/portal/testimonial', { rating: '4', text: 'Once', form_id: formId });
  assert.match(await noticeAfter(client, again), /This form was already sent: your testimonial was saved once/);
  assert.equal(await stored(c), 1);
  const noFormId = await client.post('/portal/testimonial', { rating: '4', text: 'Fine', form_id: '' });
  assert.equal(noFormId.status, 400);
  assert.match(textOf(noFormId.text), /form_id: is missing or not this page's/);
  assert.equal(await stored(c), 1);
});
