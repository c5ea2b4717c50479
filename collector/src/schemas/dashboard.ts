// zod schemas of the dashboard's own forms and of the `referloop user` commands.
import { z } from 'zod';
import { zEmail } from './common.ts';

export const zDashboardRole = z.enum(['owner', 'viewer'], { error: 'must be owner or viewer' });

export const zCreateDashboardUser = z.object({
  email: zEmail,
  // The operator creates a brand's owners with the CLI; the dashboard's users page always says which.
  role: zDashboardRole.default('owner'),
});
export type CreateDashboardUser = z.output<typeof zCreateDashboardUser>;

export type DashboardRoleName = z.output<typeof zDashboardRole>;

export const zRoleChange = z.object({ role: zDashboardRole });

/** 10 to 200 characters, any of them (a passphrase is welcome); compared after Unicode NFC normalisation. */
export const PASSWORD_RULE = 'at least 10 and at most 200 characters';
const zNewPassword = z.string({ error: 'is required' }).min(10, `must be ${PASSWORD_RULE}`).max(200, `must be ${PASSWORD_RULE}`);

/** The account page's form: the current password when one is set, the new one twice. */
export const zSetPassword = z.object({
  current_password: z.string().max(200).optional(),
  password: zNewPassword,
  password_repeat: z.string({ error: 'is required' }),
}).refine((f) => f.password === f.password_repeat, { path: ['password_repeat'], message: 'is not the same as the new password' });
export type SetPassword = z.output<typeof zSetPassword>;

/** The sign-in page's form. A too-long password is refused before any hashing (no 200 KB scrypt input). */
export const zPasswordSignIn = z.object({
  email: zEmail,
  password: z.string({ error: 'is required' }).min(1, 'is required').max(200, 'is not a password of this dashboard'),
});
export type PasswordSignIn = z.output<typeof zPasswordSignIn>;
