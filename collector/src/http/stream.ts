// Long answers (exports, the payout list) written piece by piece: each piece is made in one event-loop turn from a
// bounded read, and the next one waits for the socket to drain and for the loop to serve other work in between.
import type { Response } from 'express';
import { setImmediate as nextTurn } from 'node:timers/promises';

/** Resolves when the socket has room again, or when the client has gone. */
const drainedOrClosed = (res: Response) => new Promise<void>((resolve) => {
  const done = () => {
    res.off('drain', done);
    res.off('close', done);
    resolve();
  };
  res.on('drain', done);
  res.on('close', done);
});

/**
 * Writes `pieces` to `res` and ends it, in constant memory: a piece is asked for only once the previous one has
 * been taken by the socket (backpressure) and the event loop has had a turn. `start` sets the status and headers
 * just before the first byte. A client that goes away stops the reads; a read that fails after the first byte
 * cuts the connection (the status is sent already), and the error goes on to the error middleware to be logged.
 */
export async function streamPieces(res: Response, start: () => void, pieces: AsyncIterator<string>): Promise<void> {
  let started = false;
  try {
    for (let next = await pieces.next(); !next.done; next = await pieces.next()) {
      if (!started) {
        start();
        started = true;
      }
      if (res.destroyed) return;
      if (!res.write(next.value)) await drainedOrClosed(res);
      // Always a real turn of the loop: 'drain' may be emitted from process.nextTick when the socket took the
      // bytes at once, and a loop of microtasks alone would keep timers and other sockets waiting.
      await nextTurn();
      // A client gone (or cut by a shutdown, which then closes the database) is not read for again.
      if (res.destroyed) return;
    }
    if (!started) start();
    res.end();
  } catch (err) {
    if (started) res.destroy();
    throw err;
  } finally {
    await pieces.return?.(undefined);
  }
}

/** One list item too long for one piece (an advocate's payout lines): its JSON text in pieces, written one by one. */
export class PiecewiseItem {
  constructor(readonly pieces: Iterable<string>) {}
}

/**
 * `item` as JSON pieces: its other fields first, then its array `key` (written last) `slice` elements a piece, so no
 * piece stringifies more than `slice` elements.
 */
export function piecewise(item: object, key: string, slice: number): PiecewiseItem {
  const { [key]: array, ...rest } = item as Record<string, unknown[]>;
  const others = JSON.stringify(rest).slice(0, -1);
  const head = `${others}${others === '{' ? '' : ','}${JSON.stringify(key)}:`;
  return new PiecewiseItem((function* () {
    yield `${head}[`;
    for (let i = 0; i < array!.length; i += slice) yield (i ? ',' : '') + array!.slice(i, i + slice).map((x) => JSON.stringify(x)).join(',');
    yield ']}';
  })());
}

/**
 * `{"success":true,"data":{"<name>":[...],...tail()}}` with the items written batch by batch (a PiecewiseItem piece
 * by piece; an empty batch, a step that read without listing yet, as an empty piece, so the loop still turns);
 * `tail` (totals counted while the items went out) is asked for after the last batch.
 */
export async function* jsonListPieces(name: string, batches: AsyncIterable<unknown[] | PiecewiseItem>, tail: () => Record<string, unknown>): AsyncGenerator<string> {
  yield `{"success":true,"data":{${JSON.stringify(name)}:[`;
  let first = true;
  for await (const items of batches) {
    if (items instanceof PiecewiseItem) {
      let lead = first ? '' : ',';
      for (const piece of items.pieces) {
        yield lead + piece;
        lead = '';
      }
      first = false;
      continue;
    }
    if (items.length === 0) {
      yield '';
      continue;
    }
    yield (first ? '' : ',') + items.map((item) => JSON.stringify(item)).join(',');
    first = false;
  }
  const rest = JSON.stringify(tail());
  yield rest === '{}' ? ']}}' : `],${rest.slice(1)}}`;
}
