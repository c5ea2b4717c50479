// Request schema of the signed /api/v1/convert webhook.
import { z } from 'zod';
import { zCents, zCode, zEmail, zMetadata, zText } from './common.ts';

export const zConvertRequest = z.object({
  referral_code: zCode,
  email: zEmail,
  value: zCents.optional(),
  customer_name: zText().optional(),
  metadata: zMetadata.optional(),
});

export type ConvertRequest = z.infer<typeof zConvertRequest>;
