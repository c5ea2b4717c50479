// Posts to the collector. text/plain keeps each request a CORS "simple" one (no preflight); never rejects.
import type { TrackerConfig } from './config.ts';

/**
 * Resolves the JSON answer for any status below 500 (4xx bodies say why, callers branch on them), and `fallback`
 * when the collector could not answer: network failure, 5 s timeout, 5xx, or a body that is not JSON.
 */
export function post(config: TrackerConfig, path: string, body: object, fallback?: object): Promise<any> {
  // fetch() inside the executor: a browser without it ends in the fallback instead of a throw.
  return new Promise<Response>((resolve) =>
    resolve(
      fetch(config.api + '/api/v1/track/' + path, {
        method: 'POST',
        // The publishable key rides in the body: custom headers would force a preflight.
        body: JSON.stringify({ ...body, brand_id: config.brand, key: config.key }),
        headers: { 'Content-Type': 'text/plain' },
        credentials: 'include',
        // Lets a visit or claim finish when the page navigates away right after it.
        keepalive: true,
        // Browsers without AbortSignal.timeout simply wait.
        signal: AbortSignal.timeout?.(5000),
      }),
    ),
  )
    .then((response) => (response.status < 500 ? response.json() : fallback))
    .catch(() => fallback);
}
