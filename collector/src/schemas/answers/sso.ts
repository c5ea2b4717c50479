// Answer schemas of single sign-on (services/sso.ts): the recognition, its session, the customer mappings, and the
// data of the advocate.recognized event.
import { z } from 'zod';
import type { deleteMapping, MappingView, recognize } from '../../services/sso.ts';
import { zInstant, zRecordId, type Same } from './common.ts';

export const zSsoMapping = z.strictObject({
  id: zRecordId,
  advocate_id: zRecordId,
  external_customer_id: z.string().meta({ description: 'The site\'s own id of its customer' }),
  external_email: z.string().nullable(),
  external_name: z.string().nullable(),
  created_at: zInstant,
}).meta({ id: 'SsoMapping', description: 'A customer of the site tied to an advocate (002_*\'s customer mapping)' });

/** POST /sso/recognize: who the customer is, and the session token that acts as them (shown once, kept only hashed). */
export const zRecognized = z.strictObject({
  advocate_id: zRecordId,
  session_token: z.string().meta({ description: 'rl_st_…: Authorization: Bearer for the portal and the widget, for 1 hour; no API key' }),
  expires_at: zInstant,
  enrolled: z.boolean().meta({ description: 'true when this recognition made the advocate (auto-enrolment)' }),
});

/** GET /sso/session: what a session token opens. */
export const zSsoSession = z.strictObject({
  advocate_id: zRecordId,
  expires_at: zInstant,
});

/** advocate.recognized's data: never the token. */
export const zAdvocateRecognized = z.strictObject({
  advocate_id: zRecordId,
  external_customer_id: z.string(),
  mapping_id: zRecordId,
  enrolled: z.boolean(),
  expires_at: zInstant.meta({ description: 'When the session opened by this recognition expires' }),
}).meta({ id: 'AdvocateRecognized', description: 'A site\'s customer recognised as an advocate by single sign-on' });

export const zMappingDeleted = z.strictObject({ id: zRecordId, deleted: z.literal(true) });

const _mapping: Same<z.output<typeof zSsoMapping>, MappingView> = true;
const _recognized: Same<z.output<typeof zRecognized>, Awaited<ReturnType<typeof recognize>>> = true;
const _deleted: Same<z.output<typeof zMappingDeleted>, Awaited<ReturnType<typeof deleteMapping>>> = true;
