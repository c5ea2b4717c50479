// UUIDv7 visitor ids: the RFC 9562 layout, and ordered by the time they were made.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { uuidv7 } from '../../src/domain/ids.ts';

test('uuidv7 has version 7, the RFC variant, and the milliseconds in its first 48 bits', () => {
  const id = uuidv7(0x0123_4567_89ab);
  assert.match(id, /^01234567-89ab-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
});

test('ids made later sort after ids made earlier; ids of the same millisecond differ', () => {
  const ids = [1_700_000_000_000, 1_700_000_000_001, 1_700_000_100_000, 1_800_000_000_000].map((ms) => uuidv7(ms));
  assert.deepEqual([...ids].sort(), ids);
  assert.notEqual(uuidv7(5), uuidv7(5));
});
