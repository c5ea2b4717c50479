// The deliverer's HTTP client on a thread of its own (senderWorker.ts), started at the first attempt: the collector's
// event loop hands over an attempt (URL, secrets, body) and gets its answer back, and the signing, the connections
// and the HTTP exchanges run beside the requests instead of between them. send.ts is what runs there.
import { Worker } from 'node:worker_threads';
import { notSent, type AttemptAnswer } from './send.ts';

/** One attempt as the thread makes it: where, signed with which secrets (the current one first), and what. */
export interface Attempt {
  endpointId: number;
  url: string;
  secrets: string[];
  eventId: string;
  webhookTimestamp: number;
  payload: string;
  timeoutMs: number;
}

/** The attempts handed over in one turn of the event loop are one message; the answers of one turn of the thread's, one. */
export type ToSender = { kind: 'send'; attempts: Array<Attempt & { id: number }> } | { kind: 'abort' };
export type FromSender = Array<{ id: number; answer: AttemptAnswer }>;

export class Sender {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly waiting = new Map<number, (answer: AttemptAnswer) => void>();
  /** attempts of this turn, not handed over yet */
  private outgoing: Array<Attempt & { id: number }> = [];

  constructor(private readonly opts: { allowPrivate: boolean }) {}

  /** One attempt's exchange (signed there with `secrets`, the current one first); never rejects. */
  send(attempt: Attempt): Promise<AttemptAnswer> {
    const worker = this.started();
    const id = this.nextId++;
    return new Promise((resolve) => {
      // The thread keeps the process alive only while an answer is awaited.
      if (this.waiting.size === 0) worker.ref();
      this.waiting.set(id, resolve);
      this.outgoing.push({ id, ...attempt });
      if (this.outgoing.length === 1) {
        setImmediate(() => {
          const attempts = this.outgoing;
          this.outgoing = [];
          worker.postMessage({ kind: 'send', attempts } satisfies ToSender);
        });
      }
    });
  }

  /** Cuts every attempt under way (the collector is stopping): each answers at once, as aborted. */
  abort(): void {
    this.worker?.postMessage({ kind: 'abort' } satisfies ToSender);
  }

  /** Ends the thread (its connections with it); an attempt still under way answers as not sent. */
  async close(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    this.worker = undefined;
    await worker.terminate();
  }

  private started(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(new URL('./senderThread.mjs', import.meta.url), { workerData: { allowPrivate: this.opts.allowPrivate }, execArgv: [] });
    worker.on('message', (answers: FromSender) => {
      for (const { id, answer } of answers) {
        const resolve = this.waiting.get(id);
        this.waiting.delete(id);
        resolve?.(answer);
      }
      if (this.waiting.size === 0) worker.unref();
    });
    // A thread that dies (it should not) fails what it had under way; the next attempt starts a new one.
    const failAll = (why: string) => {
      if (this.worker === worker) this.worker = undefined;
      for (const [id, resolve] of this.waiting) {
        this.waiting.delete(id);
        resolve(notSent(why));
      }
    };
    worker.on('error', (error) => failAll(`the sender thread failed (${error.message})`));
    worker.on('exit', () => failAll('the sender thread stopped'));
    worker.unref();
    this.worker = worker;
    return worker;
  }
}
