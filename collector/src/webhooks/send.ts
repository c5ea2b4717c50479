// One attempt: POST the signed body to the endpoint and read what it answers, within the timeout. Only a 2xx is a
// delivery; a redirect is not followed (it is a failure: the receiver must give its final URL).
import http from 'node:http';
import https from 'node:https';
import { addressProblem, allowedProtocol, guardedLookup, literalAddress } from './address.ts';

/** How much of an answer's body is kept for the owner to read. */
export const ANSWER_BODY_LIMIT = 2048;

/** Connections kept open per endpoint origin, and so the attempts under way to one endpoint at once. */
export const SOCKETS_PER_ORIGIN = 10;

export interface AttemptAnswer {
  /** the HTTP status, or null when none came (timeout, refused, network error) */
  statusCode: number | null;
  /** why the attempt failed without a 2xx answer: 'timeout', 'redirect', 'refused: …', a network error; null otherwise */
  error: string | null;
  /** the first ANSWER_BODY_LIMIT bytes of the answer */
  responseBody: string | null;
  durationMs: number;
  delivered: boolean;
}

export interface SendOptions {
  timeoutMs: number;
  allowPrivate: boolean;
  /** aborts the attempt (the collector is stopping) */
  signal?: AbortSignal;
  /**
   * The connections to use: the deliverer gives each endpoint its own (newAgent), so endpoints on one host (every Zap's
   * hooks.zapier.com) never wait for each other's sockets. Left out: a keep-alive agent shared by the callers.
   */
  agent?: http.Agent;
}

/** Keep-alive connections for one endpoint; the deliverer never has more attempts under way than it has sockets. */
export const newAgent = (protocol: string): http.Agent =>
  protocol === 'https:' ? new https.Agent({ keepAlive: true, maxSockets: SOCKETS_PER_ORIGIN }) : new http.Agent({ keepAlive: true, maxSockets: SOCKETS_PER_ORIGIN });

const shared = { 'http:': newAgent('http:'), 'https:': newAgent('https:') };
const lookups = { true: guardedLookup(true), false: guardedLookup(false) };

/** An attempt that never reached the endpoint (nothing sent, or cut before any answer), with why. */
export const notSent = (why: string): AttemptAnswer => ({ statusCode: null, error: `not sent: ${why}`, responseBody: null, durationMs: 0, delivered: false });

const is2xx = (status: number | null): boolean => status !== null && status >= 200 && status < 300;

export function sendAttempt(url: string, headers: Record<string, string>, body: string, opts: SendOptions): Promise<AttemptAnswer> {
  const started = performance.now();
  const answer = (a: Omit<AttemptAnswer, 'durationMs' | 'delivered'>): AttemptAnswer => ({
    ...a,
    durationMs: Math.round(performance.now() - started),
    delivered: a.error === null && is2xx(a.statusCode),
  });
  const u = new URL(url);
  // A literal address is connected to without a look-up: it is checked here instead.
  const literal = opts.allowPrivate ? null : literalAddress(u);
  const refused = literal === null ? null : addressProblem(literal);
  if (refused) return Promise.resolve(answer({ statusCode: null, error: `refused: ${refused}`, responseBody: null }));
  if (!allowedProtocol(u, opts.allowPrivate)) {
    return Promise.resolve(answer({ statusCode: null, error: `refused: ${u.protocol} is not https`, responseBody: null }));
  }
  const payload = Buffer.from(body, 'utf8');
  return new Promise<AttemptAnswer>((resolve) => {
    let settled = false;
    // The answer so far: its status once the headers came, and the first ANSWER_BODY_LIMIT bytes of its body.
    let status: number | null = null;
    const chunks: Buffer[] = [];
    let kept = 0;
    const finish = (a: Omit<AttemptAnswer, 'durationMs' | 'delivered'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(answer(a));
    };
    // Once the status came, it decides: a 2xx is a delivery even if the rest of the body never comes (a timeout, a
    // cut connection, the collector stopping); anything else fails with what cut it short, or as a redirect.
    const answered = (cut: string | null) => {
      const text = keptText(Buffer.concat(chunks));
      const ok = is2xx(status);
      const redirect = status !== null && status >= 300 && status < 400;
      finish({ statusCode: status, error: ok ? null : cut ?? (redirect ? 'redirect' : null), responseBody: text === '' ? null : text });
    };
    const mod = u.protocol === 'https:' ? https : http;
    const req = mod.request(u, {
      method: 'POST',
      agent: opts.agent ?? shared[u.protocol as 'http:' | 'https:'],
      lookup: lookups[String(opts.allowPrivate) as 'true' | 'false'],
      headers: { ...headers, 'content-type': 'application/json', 'content-length': String(payload.length), 'user-agent': 'Referloop-Webhooks/1' },
      ...(opts.signal ? { signal: opts.signal } : {}),
    }, (res) => {
      status = res.statusCode ?? null;
      res.on('data', (chunk: Buffer) => {
        chunks.push(chunk.subarray(0, ANSWER_BODY_LIMIT - kept));
        kept += Math.min(chunk.length, ANSWER_BODY_LIMIT - kept);
        // All that is kept has come: the rest is not waited for (nor read: the connection is closed).
        if (kept >= ANSWER_BODY_LIMIT) {
          answered(null);
          res.destroy();
        }
      });
      res.on('end', () => answered(null));
      res.on('error', (error) => answered(describe(error)));
    });
    const timer = setTimeout(() => {
      if (status === null) finish({ statusCode: null, error: 'timeout', responseBody: null });
      else answered('timeout');
      req.destroy();
    }, opts.timeoutMs);
    req.on('error', (error) => (status === null ? finish({ statusCode: null, error: describe(error), responseBody: null }) : answered(describe(error))));
    req.end(payload);
  });
}

/**
 * The kept bytes as text both engines store: whole characters only (a character the limit split is dropped, not
 * replaced), NUL (which PostgreSQL's text cannot hold) and invalid bytes as U+FFFD, and never more than
 * ANSWER_BODY_LIMIT bytes once encoded (a replacement may be longer than the byte it stands for).
 */
export function keptText(bytes: Buffer): string {
  const text = new TextDecoder().decode(bytes, { stream: true }).replaceAll('\u0000', '\uFFFD');
  const encoded = Buffer.from(text, 'utf8');
  return encoded.length <= ANSWER_BODY_LIMIT ? text : new TextDecoder().decode(encoded.subarray(0, ANSWER_BODY_LIMIT), { stream: true });
}

/** A network error as the owner reads it: the refusal's own message, else the system's code and message. */
function describe(error: Error): string {
  if (error.message.startsWith('refused:')) return error.message;
  if (error.name === 'AbortError') return 'aborted: the collector stopped';
  const code = (error as NodeJS.ErrnoException).code;
  return (code ? `${code}: ` : '') + error.message;
}
