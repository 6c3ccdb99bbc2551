/**
 * The engine's one clock: an ISO-8601 UTC instant with milliseconds (sorts as text). Services
 * take a `Clock` (the save pipeline, workflows, timers, audit entries written by a save), so a
 * test or a replay moves time for all of them at once; `nowIso` is the system clock.
 */
export type Clock = () => string;

/** The system clock. */
export const systemClock: Clock = () => new Date().toISOString();

/** The current time as stored (the system clock). */
export const nowIso: Clock = systemClock;
