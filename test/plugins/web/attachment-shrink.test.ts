import { describe, expect, it } from 'vitest';
import { DEFAULT_PHOTO_MAX_DIMENSION, shrunkSize } from '../../../plugins/web/client/attachment-shrink.ts';

describe('photo shrinking: the size a photo is drawn at', () => {
  it('brings the longest side down to the limit and keeps the proportions', () => {
    // A 12-megapixel phone photo, landscape and portrait.
    expect(shrunkSize(4000, 3000, 1600)).toEqual({ width: 1600, height: 1200, shrink: true });
    expect(shrunkSize(3000, 4000, 1600)).toEqual({ width: 1200, height: 1600, shrink: true });
    expect(shrunkSize(4032, 1816, 1600)).toEqual({ width: 1600, height: 721, shrink: true });
    expect(shrunkSize(1601, 1601, 1600)).toEqual({ width: 1600, height: 1600, shrink: true });
  });

  it('keeps a photo within the limit as it is, and every photo when the limit is 0', () => {
    expect(shrunkSize(1600, 900, 1600)).toEqual({ width: 1600, height: 900, shrink: false });
    expect(shrunkSize(640, 480, DEFAULT_PHOTO_MAX_DIMENSION)).toEqual({
      width: 640,
      height: 480,
      shrink: false,
    });
    expect(shrunkSize(8000, 6000, 0)).toEqual({ width: 8000, height: 6000, shrink: false });
  });

  it('never draws a side of 0 pixels, even for a panorama', () => {
    expect(shrunkSize(20000, 10, 1600)).toEqual({ width: 1600, height: 1, shrink: true });
    expect(shrunkSize(0, 0, 1600).shrink).toBe(false);
  });
});
