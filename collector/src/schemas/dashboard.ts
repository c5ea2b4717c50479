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
