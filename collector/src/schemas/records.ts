// Query strings of the record lists: GET /api/v1/visits, /claims, /conversions (and the conversions export).
import { z } from 'zod';
import { normalizeCode, normalizeEmail } from '../domain/identity.ts';
import { zPagination, zDateRange, zQueryBool } from '../http/query.ts';
import { zId, zStatus } from './common.ts';

const zQueryCode = z.string().trim().min(1, 'must not be empty').max(64, 'must be at most 64 characters').transform(normalizeCode);
const zQueryEmail = z.string().trim().min(1, 'must not be empty').max(254, 'must be at most 254 characters').transform(normalizeEmail);

export const zVisitListQuery = z.object({
  ...zPagination,
  advocate_id: zId.optional(),
  code: zQueryCode.optional(),
  visitor_id: z.string().trim().min(1, 'must not be empty').max(128, 'must be at most 128 characters').optional(),
  ...zDateRange,
});

export const zClaimListQuery = z.object({
  ...zPagination,
  status: zStatus.optional(),
  advocate_id: zId.optional(),
  code: zQueryCode.optional(),
  email: zQueryEmail.optional(),
  ...zDateRange,
});

/** The conversions' filters, shared by the list and the CSV export (which ignores pagination). */
const conversionFilters = {
  status: zStatus.optional(),
  advocate_id: zId.optional(),
  code: zQueryCode.optional(),
  attributed: zQueryBool.optional(),
  ...zDateRange,
};

export const zConversionListQuery = z.object({ ...zPagination, ...conversionFilters });
export const zConversionExportQuery = z.object(conversionFilters);

export type VisitListQuery = z.infer<typeof zVisitListQuery>;
export type ClaimListQuery = z.infer<typeof zClaimListQuery>;
export type ConversionFilterQuery = z.infer<typeof zConversionExportQuery>;
