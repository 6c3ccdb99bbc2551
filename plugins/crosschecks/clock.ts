import { todayInChina } from '../../engine/entry/runtime.ts';

/**
 * The plugin's sense of time comes from a clock (`Clock`: an ISO instant), the app's
 * (`app.nuanxin.clock`) in routes and the system clock by default, so tests and the demo move
 * run stamps, due dates and overdue flags together.
 */

/** The clock's day in China (`YYYY-MM-DD`): what due dates count from. */
export const dayOf = (now: string): string => todayInChina(Date.parse(now));
