// How referral codes, emails and names are compared: one normal form each.

/** Codes are case-insensitive: "demo10" in a link finds DEMO10. */
export const normalizeCode = (code: string): string => code.trim().toUpperCase();

/** Emails are matched trimmed and lower-cased (attribution by email, self-referral, duplicates). */
export const normalizeEmail = (email: string): string => email.trim().toLowerCase();

export const firstName = (name: string): string => name.trim().split(/\s+/)[0] ?? '';
