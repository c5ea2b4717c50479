// Request schema of the portal's self sign-up form (/portal/join/BRAND/CAMPAIGN): a name and an email, as POST /advocates takes them.
import { z } from 'zod';
import { zEmail, zText } from './common.ts';

export const zSignUpRequest = z.object({ name: zText(), email: zEmail });

export type SignUpForm = z.output<typeof zSignUpRequest>;
