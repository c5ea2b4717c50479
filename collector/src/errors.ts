// The one error type of the collector: thrown anywhere, rendered as JSON by the error middleware.

export interface ErrorDetail {
  field: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }

  toJSON(): Record<string, unknown> {
    return { success: false, error: this.message, code: this.code, details: this.details, ...this.extra };
  }
}

/** 404 for an id the brand does not have (unknown, malformed, or another brand's: ids never leak). */
export const notFound = (what: string): ApiError => new ApiError(404, 'not_found', `No ${what} with this id for this brand`);

export const badField = (field: string, message: string): ApiError =>
  new ApiError(400, 'invalid_request', `${field}: ${message}`, [{ field, message }]);
