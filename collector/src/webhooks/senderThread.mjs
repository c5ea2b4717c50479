// The sender thread's entry (webhooks/sender.ts starts it): a worker thread does not inherit the TypeScript loader the
// collector registered, so it registers its own before loading the sender (the same way bin/referloop.mjs does).
import { register } from 'tsx/esm/api';

register();
await import('./senderWorker.ts');
