// Time arithmetic in UTC: windows and cooling periods are whole days before or after an injected `now`.

export const DAY_MS = 86_400_000;
export const daysBefore = (now: Date, days: number): string => new Date(now.getTime() - days * DAY_MS).toISOString();
export const daysAfter = (now: Date, days: number): string => new Date(now.getTime() + days * DAY_MS).toISOString();
