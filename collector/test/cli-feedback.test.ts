// referloop testimonial list/approve/reject, board list/create and idea list/status on this run's engine: the API's
// answer shapes with --json, refusals naming the field with nothing written.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cliDatabase, refusedCli } from './support/processes.ts';

test('testimonial, board and idea commands: the moderation queue, boards, a board\'s ideas by votes and their status', async (t) => {
  const c = await cliDatabase(t);
  const brand = c.json(['brand', 'create', '--name', 'Acme']).brand_id as string;
  const b = ['--brand', brand];
  const advocate = c.json(['advocate', 'create', ...b, '--email', 'ann@advocate.example', '--name', 'Ann']).advocate_id as number;
  const store = await c.open();
  const at = new Date().toISOString();
  const insert = (sql: string, ...params: unknown[]) => store.queue.run(() => store.db.prepare(sql).run(...params));
  await insert(`INSERT INTO testimonials (brand_id, name, email, rating, text, status, source, created_at, updated_at)
    VALUES (?, 'Maya', 'maya@example.com', 5, 'Great', 'pending', 'browser', ?, ?)`, brand, at, at);
  await insert(`INSERT INTO testimonials (brand_id, advocate_id, rating, text, status, source, created_at, updated_at)
    VALUES (?, ?, 2, 'Slow', 'pending', 'api', ?, ?)`, brand, advocate, at, at);
  const [maya, ann] = c.json(['testimonial', 'list', ...b]).testimonials.map((x: { id: number }) => x.id).reverse();
  assert.equal(c.json(['testimonial', 'approve', ...b, '--id', String(maya)]).testimonial.status, 'approved');
  assert.equal(c.json(['testimonial', 'reject', ...b, '--id', String(ann)]).testimonial.name, 'Ann', "an advocate's: the advocate's name");
  assert.deepEqual(c.json(['testimonial', 'list', ...b, '--status', 'approved']).testimonials.map((x: { id: number }) => x.id), [maya]);
  assert.deepEqual(c.json(['testimonial', 'list', ...b, '--rating', '2']).testimonials.map((x: { id: number }) => x.id), [ann]);
  refusedCli(c, ['testimonial', 'list', ...b, '--rating', '9'], /rating/);
  refusedCli(c, ['testimonial', 'approve', ...b, '--id', '999'], /testimonial/);

  const board = c.json(['board', 'create', ...b, '--name', 'Product ideas', '--description', 'What next?']).board;
  assert.deepEqual([board.name, board.description], ['Product ideas', 'What next?']);
  refusedCli(c, ['board', 'create', ...b, '--name', ' '], /name/);
  assert.deepEqual(c.json(['board', 'list', ...b]).boards.map((x: { id: number }) => x.id), [board.id]);
  for (const [title, votes] of [['WhatsApp links', 3], ['Dark mode', 0]] as const) {
    await insert(`INSERT INTO feedback_ideas (brand_id, board_id, advocate_id, title, status, vote_count, created_at, updated_at)
      VALUES (?, ?, ?, ?, 'open', ?, ?, ?)`, brand, board.id, advocate, title, votes, at, at);
  }
  const byVotes = c.json(['idea', 'list', ...b, '--board', String(board.id), '--sort', 'votes']).ideas;
  assert.deepEqual(byVotes.map((i: { title: string }) => i.title), ['WhatsApp links', 'Dark mode']);
  assert.deepEqual(c.json(['idea', 'list', ...b, '--board', String(board.id)]).ideas.map((i: { title: string }) => i.title), ['Dark mode', 'WhatsApp links'], 'newest first');
  assert.equal(c.json(['idea', 'status', ...b, '--id', String(byVotes[0].id), '--status', 'planned']).idea.status, 'planned');
  refusedCli(c, ['idea', 'status', ...b, '--id', String(byVotes[0].id), '--status', 'shipped'], /status/);
  refusedCli(c, ['idea', 'list', ...b, '--board', String(board.id), '--sort', 'top'], /sort/);
  assert.deepEqual(c.json(['idea', 'list', ...b, '--board', String(board.id), '--status', 'planned']).ideas.map((i: { id: number }) => i.id), [byVotes[0].id]);
});
