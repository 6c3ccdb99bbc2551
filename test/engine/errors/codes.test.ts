import { describe, expect, it } from 'vitest';
import { codes } from '../../../engine/errors/codes.ts';

describe('error code registry', () => {
  it('names every code NX_ERR_<AREA>_<WHAT> with a bilingual message and an HTTP status', () => {
    for (const [code, info] of Object.entries(codes)) {
      expect(code).toMatch(/^NX_ERR_[A-Z0-9]+_[A-Z0-9_]+$/);
      expect(info.message['zh-CN'].length, code).toBeGreaterThan(0);
      expect(info.message.en.length, code).toBeGreaterThan(0);
      expect(info.status, code).toBeGreaterThanOrEqual(400);
      expect(info.status, code).toBeLessThan(600);
    }
  });
});
