// The shared shape of every POST endpoint: parse, run the use case in the commit queue (behind the
// Idempotency-Key check), answer once committed.
import type { Request, RequestHandler, Response } from 'express';
import type { z } from 'zod';
import type { AppDeps } from '../app.ts';
import type { Ctx } from '../services/context.ts';
import { callerOf } from './auth.ts';
import { withIdempotency, type Answer } from './idempotency.ts';
import { parseBody } from './parse.ts';

export const ok = (status: number, data: unknown): Answer => ({ status, body: { success: true, data } });

/**
 * Sends an answer, adding `warnings` for the fields that were ignored. Written with one writeHead + end:
 * res.json's steps (charset rewriting, ETag and freshness checks, header objects) do nothing for a POST's JSON.
 */
export function send(res: Response, answer: Answer, warnings: string[]): void {
  const json = JSON.stringify(warnings.length ? { ...(answer.body as object), warnings } : answer.body);
  res.writeHead(answer.status, ['Content-Type', 'application/json; charset=utf-8', 'Content-Length', String(Buffer.byteLength(json))]);
  res.end(json);
}

/**
 * A route's last handler: `run` decides the answer inside the commit queue; it is sent after COMMIT. `committed`
 * sees the answer first (a replayed one too): headers such as Set-Cookie belong there, not in a job that may fail
 * at COMMIT after it ran.
 */
export function useCase<S extends z.ZodType>(
  deps: AppDeps, name: string | ((req: Request) => string), schema: S, run: (ctx: Ctx, data: z.output<S>, req: Request, res: Response) => Promise<Answer> | Answer,
  committed?: (answer: Answer, data: z.output<S>, req: Request, res: Response) => void,
): RequestHandler {
  return async (req, res) => {
    const { brand } = callerOf(res);
    const { data, warnings } = parseBody(schema, (req.body ?? {}) as Record<string, unknown>);
    const now = deps.now();
    const idempotencyKey = req.get('Idempotency-Key')?.trim() || undefined;
    const answer = await deps.queue.run(() =>
      withIdempotency(deps.q, brand.id, idempotencyKey, typeof name === 'string' ? name : name(req), req.body, now, () =>
        run({ q: deps.q, brand, now }, data, req, res)));
    committed?.(answer, data, req, res);
    send(res, answer, warnings);
  };
}

