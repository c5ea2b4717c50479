// Answer schemas of the advocate portal (services/portal.ts): the entry link an owner makes for an advocate.
import { z } from 'zod';
import type { createPortalLink } from '../../services/portal.ts';
import { zInstant, type Same } from './common.ts';

/** POST /advocates/:id/portal-link: shown once; the database keeps only its token's hash. */
export const zPortalLink = z.strictObject({
  url: z.string().meta({ description: 'The collector\'s /portal/enter/<token>: opens the advocate\'s portal once, within the hour' }),
  expires_at: zInstant,
}).meta({ id: 'PortalLink', description: 'A single-use link into an advocate\'s portal' });

const _link: Same<z.output<typeof zPortalLink>, Awaited<ReturnType<typeof createPortalLink>>> = true;
