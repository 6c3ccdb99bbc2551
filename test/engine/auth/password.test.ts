import { describe, expect, it } from 'vitest';
import { maskIdNumber, maskPhone } from '../../../engine/auth/mask.ts';
import { hashPassword, verifyPassword } from '../../../engine/auth/password.ts';

describe('password hashes', () => {
  it('verify the right password only, with a fresh salt each time', async () => {
    const a = await hashPassword('correct horse');
    const b = await hashPassword('correct horse');
    expect(a).toMatch(/^scrypt\$\d+\$8\$1\$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('correct horse', a)).toBe(true);
    expect(await verifyPassword('correct horsE', a)).toBe(false);
    expect(await verifyPassword('correct horse', 'plain')).toBe(false);
  });
});

describe('masks', () => {
  it('keep the first four and last four of an ID number, three and four of a phone', () => {
    expect(maskIdNumber('510104199001011234')).toBe('5101**********1234');
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskIdNumber('123')).toBe('***');
  });
});
