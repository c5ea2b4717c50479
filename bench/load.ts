// One autocannon run (programmatic API) -> throughput, precise latency percentiles and the non-2xx count.
import autocannon, { type Request } from 'autocannon';

export interface LoadSpec {
  /** several URLs: autocannon spreads the connections over them in turn (connection i to url[i % n]) */
  url: string | string[];
  path: string;
  connections: number;
  seconds: number;
  headers: Record<string, string>;
  /** a constant body, or */
  body?: string;
  /** a fresh body for every request (e.g. a unique order_id) */
  makeBody?: () => string;
  /** sees every answer (to check what the server said) */
  onAnswer?: (status: number, body: string) => void;
}

export interface LoadResult {
  /** 2xx answers per second */
  rps: number;
  ok: number;
  non2xx: number;
  /** socket errors, timeouts included */
  errors: number;
  statusCodes: Record<string, number>;
  latencyMs: { mean: number; p50: number; p99: number; max: number };
}

/**
 * autocannon's own histogram keeps whole milliseconds, too coarse for sub-millisecond answers, so the
 * latency of each answer is taken from its 'response' event (hrtime from write to last byte) instead.
 */
export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const request: Request = { method: 'POST', path: spec.path, headers: spec.headers, body: spec.body ?? '' };
  const makeBody = spec.makeBody;
  if (makeBody) request.setupRequest = (req) => ({ ...req, body: makeBody() });
  const onAnswer = spec.onAnswer;
  if (onAnswer) request.onResponse = (status, body) => onAnswer(status, body);

  const latencies: number[] = [];
  const instance = autocannon({
    url: spec.url,
    connections: spec.connections,
    duration: spec.seconds,
    timeout: 10,
    requests: [request],
  });
  instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
    if (status >= 200 && status < 300) latencies.push(ms);
  });
  const result = await instance;

  latencies.sort((a, b) => a - b);
  const at = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? NaN;
  const statusCodes: Record<string, number> = {};
  for (const [code, { count }] of Object.entries(result.statusCodeStats ?? {})) statusCodes[code] = Number(count);
  return {
    rps: result['2xx'] / result.duration,
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    statusCodes,
    latencyMs: {
      mean: latencies.reduce((s, v) => s + v, 0) / latencies.length,
      p50: at(0.5),
      p99: at(0.99),
      max: latencies[latencies.length - 1] ?? NaN,
    },
  };
}
