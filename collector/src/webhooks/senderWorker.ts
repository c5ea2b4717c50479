// The sender thread's side (webhooks/sender.ts): signs each attempt and makes its HTTP exchange (send.ts), so the
// collector's event loop spends a message each way on a delivery instead of the HTTP client's work. Each endpoint has
// its own keep-alive connections here, as it had in the deliverer.
import type { Agent } from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';
import { newAgent, notSent, sendAttempt, type AttemptAnswer } from './send.ts';
import { webhookHeaders } from './signature.ts';
import type { Attempt, FromSender, ToSender } from './sender.ts';

const port = parentPort!;
const { allowPrivate } = workerData as { allowPrivate: boolean };
const agents = new Map<number, { protocol: string; agent: Agent }>();
let abort = new AbortController();

function agentFor(endpointId: number, url: string): Agent {
  const protocol = url.startsWith('https:') ? 'https:' : 'http:';
  const known = agents.get(endpointId);
  if (known?.protocol === protocol) return known.agent;
  known?.agent.destroy();
  const agent = newAgent(protocol);
  agents.set(endpointId, { protocol, agent });
  return agent;
}

async function attempt(m: Attempt): Promise<AttemptAnswer> {
  try {
    return await sendAttempt(m.url, webhookHeaders(m.secrets, m.eventId, m.webhookTimestamp, m.payload), m.payload, {
      timeoutMs: m.timeoutMs, allowPrivate, signal: abort.signal, agent: agentFor(m.endpointId, m.url),
    });
  } catch (error) {
    return notSent(error instanceof Error ? error.message : String(error));
  }
}

/** Answers of one turn, not posted yet. */
let answers: FromSender = [];
const answered = (id: number, answer: AttemptAnswer) => {
  answers.push({ id, answer });
  if (answers.length === 1) {
    setImmediate(() => {
      port.postMessage(answers);
      answers = [];
    });
  }
};

port.on('message', (m: ToSender) => {
  if (m.kind === 'send') {
    for (const a of m.attempts) void attempt(a).then((answer) => answered(a.id, answer));
  } else {
    abort.abort();
    abort = new AbortController();
  }
});
