import { describe, expect, it } from 'vitest';
import { addDuration, endOfDay, isCalendarDate, parseDuration } from '../../../engine/workflow/duration.ts';

describe('ISO 8601 durations', () => {
  it('parses every unit', () => {
    expect(parseDuration('P1Y2M3W4DT5H6M7S')).toEqual({
      years: 1,
      months: 2,
      weeks: 3,
      days: 4,
      hours: 5,
      minutes: 6,
      seconds: 7,
    });
    expect(parseDuration('PT12H')).toMatchObject({ hours: 12, days: 0 });
  });

  it.each(['', 'P', 'PT', 'P1DT', 'P1H', 'PT1D', 'P1.5D', '1D', 'P1D ', 'P-1D'])('refuses %j', (s) => {
    expect(parseDuration(s)).toBeNull();
  });

  it.each([
    ['2021-06-01T02:00:00.000Z', 'P7D', '2021-06-08T02:00:00.000Z'],
    ['2021-06-01T02:00:00.000Z', 'PT12H', '2021-06-01T14:00:00.000Z'],
    ['2021-06-01T02:00:00.000Z', 'PT90M', '2021-06-01T03:30:00.000Z'],
    // 31 January + 1 month ends on the last day of February, leap year or not.
    ['2021-01-31T02:00:00.000Z', 'P1M', '2021-02-28T02:00:00.000Z'],
    ['2024-01-31T02:00:00.000Z', 'P1M', '2024-02-29T02:00:00.000Z'],
    ['2024-02-29T02:00:00.000Z', 'P1Y', '2025-02-28T02:00:00.000Z'],
    ['2021-12-15T02:00:00.000Z', 'P1M', '2022-01-15T02:00:00.000Z'],
    // 20:00 UTC on 31 January is already 1 February in China: a month later is 1 March there.
    ['2021-01-31T20:00:00.000Z', 'P1M', '2021-02-28T20:00:00.000Z'],
    ['2021-01-30T15:00:00.000Z', 'P1M', '2021-02-28T15:00:00.000Z'],
    ['2021-06-01T02:00:00.000Z', 'P1W', '2021-06-08T02:00:00.000Z'],
  ])('%s + %s = %s', (at, d, expected) => {
    expect(addDuration(at, d)).toBe(expected);
  });

  it('throws on junk (the loader keeps junk out of definitions)', () => {
    expect(() => addDuration('2021-06-01T00:00:00Z', 'P')).toThrow(RangeError);
    expect(() => addDuration('yesterday', 'P1D')).toThrow(RangeError);
  });

  it('knows real calendar dates and where a due day ends in China time', () => {
    expect(isCalendarDate('2024-02-29')).toBe(true);
    expect(isCalendarDate('2021-02-29')).toBe(false);
    expect(isCalendarDate('2021-13-01')).toBe(false);
    expect(endOfDay('2022-01-04')).toBe('2022-01-04T16:00:00.000Z');
  });
});
