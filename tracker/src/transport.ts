// Posts to the collector as a CORS "simple" request (no preflight); never rejects.
import type { TrackerConfig } from './config.ts';

/**
 * Resolves the JSON answer for any status below 500 (4xx bodies say why, callers branch on them), and `fallback`
 * when the collector could not answer: network failure, 5 s timeout, 5xx, or a body that is not JSON.
 */
export async function post(config: TrackerConfig, path: string, body: object, fallback?: object): Promise<any> {
  try {
    const response = await fetch(config.api + '/api/v1/track/' + path, {
      method: 'POST',
      // A string body goes out as text/plain;charset=UTF-8, a safelisted type, and the publishable key rides in
      // it: custom headers or application/json would force a preflight.
      body: JSON.stringify({ ...body, brand_id: config.brand, key: config.key }),
      // Lets a visit or claim finish when the page navigates away right after it.
      keepalive: true,
      // A collector served under the site's own domain answers the visit with Set-Cookie (Safari keeps those
      // longer than script cookies); the browser stores them only for a credentialed request.
      credentials: 'include',
      // Browsers without AbortSignal.timeout simply wait.
      signal: AbortSignal.timeout?.(5000),
    });
    return response.status < 500 ? await response.json() : fallback;
  } catch {
    return fallback;
  }
}
