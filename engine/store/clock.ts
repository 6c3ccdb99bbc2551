/** The current time as stored: ISO-8601 UTC with milliseconds (sorts as text). */
export const nowIso = (): string => new Date().toISOString();
