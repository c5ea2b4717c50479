// app.listen creating node's request and response objects with Express's prototypes already in place.
import { createServer, IncomingMessage, ServerResponse, type Server } from 'node:http';
import type { Express } from 'express';

/**
 * Express gives every request and response its prototypes (app.request, app.response) with Object.setPrototypeOf,
 * which moves each object to a new shape: 5 us per request in-process. A server whose IncomingMessage and
 * ServerResponse are built with those prototypes from the start makes Express's call a no-op (same prototype).
 * Reflect.construct runs node's own constructors, so the objects are exactly node's, whatever node makes them.
 */
export function listenWithExpressObjects(app: Express): void {
  function ExpressRequest(...args: unknown[]) {
    return Reflect.construct(IncomingMessage, args, ExpressRequest) as IncomingMessage;
  }
  ExpressRequest.prototype = app.request;
  function ExpressResponse(...args: unknown[]) {
    return Reflect.construct(ServerResponse, args, ExpressResponse) as ServerResponse;
  }
  ExpressResponse.prototype = app.response;
  const options = {
    IncomingMessage: ExpressRequest as unknown as typeof IncomingMessage,
    ServerResponse: ExpressResponse as unknown as typeof ServerResponse,
  };
  // Express 5's own listen, with those classes: a listen error goes to the callback (once), not unhandled.
  app.listen = function listen(this: Express, ...args: unknown[]): Server {
    const server = createServer(options, this);
    const last = args[args.length - 1];
    if (typeof last === 'function') {
      let called = false;
      const done = (...a: unknown[]) => {
        if (called) return;
        called = true;
        (last as (...a: unknown[]) => void)(...a);
      };
      args[args.length - 1] = done;
      server.once('error', done);
    }
    return server.listen(...(args as Parameters<Server['listen']>));
  } as Express['listen'];
}
