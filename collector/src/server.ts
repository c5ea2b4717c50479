// Entry: configuration, database, listen, and a graceful shutdown on SIGTERM/SIGINT.
import type { Server, ServerResponse } from 'node:http';
import { pino } from 'pino';
import { createApp } from './app.ts';
import { openApiDocument } from './openapi/document.ts';
import { seedDemoBrand } from './bootstrap.ts';
import { loadConfig, type Config } from './config.ts';
import { COLLECTOR_BUSY_TIMEOUT_MS } from './db/open.ts';
import { createQueries } from './db/queries.ts';
import { openStore } from './db/store.ts';
import { loadMasterKey } from './masterKey.ts';
import { createLogDestination } from './http/log.ts';
import { keyUsageOf } from './services/keyUsage.ts';

export interface RunningCollector {
  server: Server;
  url: string;
  close(): Promise<void>;
}

export async function startCollector(config: Config = loadConfig(), opts: { seed?: boolean } = {}): Promise<RunningCollector> {
  // Asynchronous writes, at most one per turn of the event loop (http/log.ts).
  const logDestination = createLogDestination(1);
  const logger = pino({ level: config.logLevel, base: undefined }, logDestination);
  // A short busy wait: the event loop never blocks on another process's lock (the commit queue retries).
  const store = await openStore(config, { busyTimeoutMs: COLLECTOR_BUSY_TIMEOUT_MS });
  const masterKey = loadMasterKey(config.masterKey, config.dataDir);
  if (opts.seed !== false) {
    const banner = await seedDemoBrand(store.db, createQueries(store.db), masterKey, config);
    if (banner) process.stdout.write(banner + '\n');
  }
  const { app, deps } = createApp({ store, config, masterKey, logger });
  // The OpenAPI document is built once (about 90 ms of CPU): before the first request, not on its path.
  openApiDocument();
  let server: Server;
  try {
    server = await new Promise<Server>((resolve, reject) => {
      // Express 5 passes a listen error (EADDRINUSE…) to this callback instead of emitting it unhandled.
      const s = app.listen(config.port, config.host, (error?: Error) => (error ? reject(error) : resolve(s)));
    });
  } catch (error) {
    await store.close();
    logDestination.flushSync();
    throw listenFailure(error, config);
  }
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://localhost:${port}`;
  logger.info({ url, db: store.describe, engine: store.engine }, 'referloop collector listening');
  // Due rewards become approved in the background too, batch by batch (jobs/settlement.ts).
  deps.settlement.start();
  // Visits past their brand's visit_retention_days are deleted in the background, batch by batch (jobs/retention.ts).
  deps.retention.start();
  // Webhook deliveries written by committed jobs are sent in the background (webhooks/deliverer.ts).
  await deps.deliverer.start();

  // Once stopping, every answer closes its connection: a keep-alive client must not hold the process open
  // (server.close() alone keeps serving requests on open connections until they idle out).
  let stopping = false;
  const unanswered = new Set<ServerResponse>();
  server.prependListener('request', (_req, res: ServerResponse) => {
    if (stopping) res.setHeader('Connection', 'close');
    unanswered.add(res);
    res.once('close', () => unanswered.delete(res));
  });
  // Webhook deliveries give way to requests while the collector is saturated (webhooks/deliverer.ts).
  deps.deliverer.watchRequests(() => unanswered.size);

  let closing: Promise<void> | undefined;
  const close = () => (closing ??= (async () => {
    stopping = true;
    for (const res of unanswered) if (!res.headersSent) res.setHeader('Connection', 'close');
    // Stop accepting, let in-flight requests finish (their writes commit), then close the file. An answer still
    // being sent after the grace period (an export whose client stopped reading) is cut: it never holds the process.
    const cut = setTimeout(() => {
      logger.warn({ grace_ms: config.shutdownGraceMs }, 'shutdown: cutting the connections still being answered');
      server.closeAllConnections();
    }, config.shutdownGraceMs);
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    });
    clearTimeout(cut);
    await deps.deliverer.stop();
    await keyUsageOf(deps).flush();
    await deps.settlement.stop();
    await deps.retention.stop();
    await deps.queue.drained();
    await store.close();
    logger.info('referloop collector stopped');
    logDestination.flushSync();
  })());
  return { server, url, close };
}

/** A listen error a newcomer can act on: which port, and the two ways to choose another. */
function listenFailure(error: unknown, config: Config): Error {
  const code = (error as NodeJS.ErrnoException).code;
  const where = `port ${config.port} on ${config.host}`;
  if (code === 'EADDRINUSE') {
    return new Error(`${where} is already in use (is another referloop collector, or npm start, running?). ` +
      `Stop it, or choose another port: REFERLOOP_PORT=8790 npm start, or referloop serve --port 8790`);
  }
  if (code === 'EACCES') {
    return new Error(`${where} needs more privileges than this user has; choose a port above 1023 with REFERLOOP_PORT or --port`);
  }
  return error instanceof Error ? error : new Error(String(error));
}

/** Runs until SIGTERM or SIGINT, then shuts down gracefully. */
export async function serveUntilSignalled(config: Config): Promise<void> {
  const running = await startCollector(config);
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      running.close().then(() => process.exit(0), () => process.exit(1));
    });
  }
}
