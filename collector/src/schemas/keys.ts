// zod schemas of the dashboard's API keys forms (the CLI's `referloop key` commands check the same name rule in
// services/keys.ts without loading zod).
import { z } from 'zod';
import { KEY_NAME, KEY_NAME_RULE } from '../domain/keys.ts';
import { zId } from './common.ts';

export const zKeyCreate = z.object({
  name: z.string({ error: 'is required' }).trim().regex(KEY_NAME, KEY_NAME_RULE),
  kind: z.enum(['secret', 'publishable'], { error: 'must be secret or publishable' }).default('secret'),
});
export type KeyCreate = z.output<typeof zKeyCreate>;

export const zKeyRevoke = z.object({ key_id: zId });
