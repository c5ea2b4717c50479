// One structured log line per request. Only method, path, status, time and brand: never a key or a body.
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';

export function requestLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const start = process.hrtime.bigint();
    res.on('finish', () => {
      logger.info({
        method: req.method,
        path: req.path,
        status: res.statusCode,
        ms: Number(process.hrtime.bigint() - start) / 1e6,
        brand: (res.locals.caller as { brand?: { id: string } } | undefined)?.brand?.id,
        ip: req.ip,
      }, 'request');
    });
    next();
  };
}
