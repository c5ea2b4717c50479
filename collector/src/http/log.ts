// One structured log line per request. Only method, path, status, time, brand and IP: never a key or a body.
import type { RequestHandler } from 'express';
import { pino, type DestinationStream, type Logger } from 'pino';

export function requestLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const start = performance.now();
    // `on`, not `once`: a response finishes once, and is dropped after (once would wrap the listener for nothing).
    res.on('finish', () => {
      logger.info({
        method: req.method,
        path: req.path,
        status: res.statusCode,
        ms: performance.now() - start,
        brand: (res.locals.caller as { brand?: { id: string } } | undefined)?.brand?.id,
        ip: req.ip,
      }, 'request');
    });
    next();
  };
}

/**
 * The collector's log output: asynchronous writes to `fd` (sonic-boom, as pino.destination), at most one per turn
 * of the event loop. Each write is a round trip through libuv's thread pool; under load a turn answers dozens of
 * requests, whose lines now share one write instead of one each. A line waits for the end of its turn, no longer.
 */
export function createLogDestination(fd = 1): DestinationStream & { flushSync(): void } {
  const out = pino.destination({ dest: fd, sync: false });
  let pending = '';
  const writePending = () => {
    const lines = pending;
    pending = '';
    if (lines) out.write(lines);
  };
  return {
    write(line: string) {
      if (!pending) setImmediate(writePending);
      pending += line;
      return true;
    },
    /** At shutdown and on a failed start: everything, synchronously. */
    flushSync() {
      writePending();
      out.flushSync();
    },
  };
}
