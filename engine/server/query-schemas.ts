import { Type } from '@sinclair/typebox';

/**
 * Schemas of dates in query strings and bodies, for routes of the engine and of plugins alike.
 * `format: 'date'` is checked by the route validator as a real calendar date, so `2021-02-30`
 * and `2021-13-01` answer 400 NX_ERR_HTTP_BAD_REQUEST with the parameter's pointer.
 */

/** A calendar date, YYYY-MM-DD. */
export const DateParam = Type.String({ format: 'date', description: 'YYYY-MM-DD (a real calendar date)' });

/** A month (YYYY-MM, 01–12) or a calendar date (YYYY-MM-DD). */
export const PeriodParam = Type.Union(
  [Type.String({ pattern: '^\\d{4}-(0[1-9]|1[0-2])$' }), Type.String({ format: 'date' })],
  { description: 'YYYY-MM or YYYY-MM-DD' },
);

/** A calendar date (YYYY-MM-DD, China time) or an ISO 8601 timestamp. */
export const DateOrTimestampParam = Type.Union(
  [Type.String({ format: 'date' }), Type.String({ format: 'date-time' })],
  {
    description: 'YYYY-MM-DD (China time) or an ISO 8601 timestamp',
  },
);
