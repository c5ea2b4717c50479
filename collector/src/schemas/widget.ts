// Request schemas of the site widget's reads (http/routes/widget.ts): the referrer of a code.
import { z } from 'zod';
import { zCode } from './common.ts';

/** GET /track/referrer?code=CODE: the code the visitor's device holds (the al_code cookie al.js keeps). */
export const zReferrerQuery = z.object({ code: zCode });
