// A person's privacy requests (GET and DELETE /api/v1/people, `referloop person export|erase`): the person is an email.
import { z } from 'zod';
import { zEmail } from './common.ts';

/** The email whose data is asked for or erased (trimmed, lower-cased, as every stored email is). */
export const zPersonQuery = z.object({ email: zEmail });

export type PersonQuery = z.infer<typeof zPersonQuery>;
