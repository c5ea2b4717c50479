// A webhook receiver on a local port, as a shop's system would run one: every request is recorded and verified with the
// Standard Webhooks library (standardwebhooks' Webhook.verify) against the secrets it is given, and answered as the
// test says (a status, a body, a redirect, or held open). It also watches the requests under way per webhook-id: two
// at once of one id is an overlap, which the multi-process tests fail on.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Webhook } from 'standardwebhooks';

export interface ReceivedRequest {
  /** the order the receiver saw them in, from 0 */
  seq: number;
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
  webhookId: string;
  /** the secrets (of `receiver.secrets` when it came) whose verification passed */
  verifiedBy: string[];
  /** what it was answered: the status, or null when it was held and never answered */
  status: number | null;
  /** the sender's side of the connection (which process sent it: see socketOwners) */
  remotePort: number;
}

/** What to answer: a status (and body, headers), or 'hold': the request stays open until the receiver closes. */
export type Answer = { status: number; body?: string; headers?: Record<string, string> } | 'hold';

export interface Receiver {
  url: string;
  port: number;
  /** every request, in arrival order */
  requests: ReceivedRequest[];
  /** the secrets each request is verified with (set once the endpoint's secret is known) */
  secrets: string[];
  /** decides each answer (default: 200 "ok") */
  answer: (req: ReceivedRequest) => Answer | Promise<Answer>;
  /** webhook-ids seen with two requests under way at once */
  overlaps: string[];
  /** the ids answered with a 2xx */
  delivered(): Set<string>;
  /** resolves once `n` requests have arrived (bounded: fails after `ms`) */
  untilRequests(n: number, ms?: number): Promise<void>;
  /** held requests answered (or cut) so far */
  close(): Promise<void>;
}

/**
 * Verifies `body` with `secret` as a receiver using the spec's library does. `now` stands for the receiver's clock
 * (the library checks webhook-timestamp against Date.now() within 5 minutes): the collector's injected clock in tests
 * that move time, so a delivery retried "hours later" is judged at that hour.
 */
export function verifies(secret: string, body: string, headers: Record<string, string>, now?: () => Date): boolean {
  const realNow = Date.now;
  if (now) Date.now = () => now().getTime();
  try {
    new Webhook(secret).verify(body, headers);
    return true;
  } catch {
    return false;
  } finally {
    Date.now = realNow;
  }
}

export async function startReceiver(opts: { now?: () => Date; secrets?: string[]; answer?: Receiver['answer'] } = {}): Promise<Receiver> {
  const requests: ReceivedRequest[] = [];
  const underWay = new Map<string, number>();
  const waiters: Array<{ n: number; resolve: () => void }> = [];
  const held = new Set<ServerResponse>();
  const r: Receiver = {
    url: '', port: 0, requests, secrets: opts.secrets ?? [], overlaps: [],
    answer: opts.answer ?? (() => ({ status: 200, body: 'ok' })),
    delivered: () => new Set(requests.filter((q) => q.status !== null && q.status >= 200 && q.status < 300).map((q) => q.webhookId)),
    untilRequests(n, ms = 20_000) {
      if (requests.length >= n) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`the receiver got ${requests.length} requests, not ${n}, within ${ms} ms`)), ms);
        waiters.push({ n, resolve: () => { clearTimeout(timer); resolve(); } });
      });
    },
    async close() {
      for (const res of held) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : v ?? '']));
    const webhookId = headers['webhook-id'] ?? '';
    const n = (underWay.get(webhookId) ?? 0) + 1;
    underWay.set(webhookId, n);
    if (n > 1) r.overlaps.push(webhookId);
    const received: ReceivedRequest = {
      seq: requests.length, method: req.method ?? '', path: req.url ?? '', headers, body, webhookId,
      verifiedBy: r.secrets.filter((s) => verifies(s, body, headers, opts.now)), status: null,
      remotePort: req.socket.remotePort ?? 0,
    };
    requests.push(received);
    for (const w of waiters.filter((x) => requests.length >= x.n)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve();
    }
    const done = () => {
      const left = (underWay.get(webhookId) ?? 1) - 1;
      if (left === 0) underWay.delete(webhookId);
      else underWay.set(webhookId, left);
    };
    res.once('close', done);
    let answer: Answer;
    try {
      answer = await r.answer(received);
    } catch {
      answer = { status: 500, body: 'the test receiver failed' };
    }
    if (answer === 'hold') {
      held.add(res);
      return;
    }
    received.status = answer.status;
    res.writeHead(answer.status, { 'content-type': 'text/plain', ...answer.headers });
    res.end(answer.body ?? '');
  };
  const server: Server = createServer((req, res) => { void handle(req, res); });
  // Idle keep-alive connections stay open for a minute (node's default is 5 s): socketOwners can still find them.
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  r.port = (server.address() as { port: number }).port;
  r.url = `http://127.0.0.1:${r.port}/hooks`;
  return r;
}

/**
 * Linux: which of `pids` holds each local TCP port connected to `port` on this machine (from /proc/net/tcp and each
 * process's descriptors): local port -> pid. Ports whose connection is already closed are missing.
 */
export function socketOwners(port: number, pids: number[]): Map<number, number> {
  const inodeToPort = new Map<string, number>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try { text = readFileSync(table, 'utf8'); } catch { continue; }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length < 10) continue;
      const local = parseInt(f[1]!.split(':')[1]!, 16);
      const remote = parseInt(f[2]!.split(':')[1]!, 16);
      if (remote === port) inodeToPort.set(f[9]!, local);
    }
  }
  const owners = new Map<number, number>();
  for (const pid of pids) {
    let fds: string[] = [];
    try { fds = readdirSync(`/proc/${pid}/fd`); } catch { continue; }
    for (const fd of fds) {
      let link = '';
      try { link = readlinkSync(`/proc/${pid}/fd/${fd}`); } catch { continue; }
      const inode = /^socket:\[(\d+)\]$/.exec(link)?.[1];
      const local = inode ? inodeToPort.get(inode) : undefined;
      if (local !== undefined) owners.set(local, pid);
    }
  }
  return owners;
}
