// The collector's answers, or null: never a rejection, whatever the network does (down, slow, 5xx, not JSON).
import type { WidgetConfig } from './config.ts';

export interface Answer {
  status: number;
  body: any;
}

const TIMEOUT_MS = 5000;

/** A signal that aborts after TIMEOUT_MS (AbortSignal.timeout where the browser has it). */
function deadline(): AbortSignal | undefined {
  if (AbortSignal.timeout) return AbortSignal.timeout(TIMEOUT_MS);
  const controller = new AbortController();
  setTimeout(() => controller.abort(), TIMEOUT_MS);
  return controller.signal;
}

async function call(url: string, init: RequestInit): Promise<Answer | null> {
  try {
    const response = await fetch(url, { ...init, credentials: 'omit', signal: deadline() });
    if (response.status >= 500) return null;
    return { status: response.status, body: await response.json() };
  } catch {
    return null;
  }
}

/** GET with headers (a preflight first: the collector answers it for its browser reads). */
export const read = (config: WidgetConfig, path: string, headers: Record<string, string>) =>
  call(`${config.api}/api/v1/${path}`, { headers });

/**
 * POST to a track/* endpoint as al.js does: a text/plain body carrying the publishable key (no preflight), kept alive so
 * a share still lands when the page goes on to the share site.
 */
export const track = (config: WidgetConfig, path: string, body: object) =>
  call(`${config.api}/api/v1/track/${path}`, {
    method: 'POST',
    body: JSON.stringify({ ...body, brand_id: config.brand, key: config.key }),
    keepalive: true,
  });
