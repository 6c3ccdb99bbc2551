import { describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../../demo/users.ts';
import {
  PASSWORD_MIN_SCORE,
  type PasswordOwner,
  passwordProblems,
} from '../../../engine/auth/password-policy.ts';
import { codes } from '../../../engine/errors/codes.ts';
import { PASSWORD } from '../../helpers/app.ts';

const owner = { username: 'baiyicun.staff', displayName: '白衣村工作人员' };
const codesOf = async (pw: string, who: PasswordOwner = owner) =>
  (await passwordProblems(pw, who)).map((p) => p.code);

describe('password policy', () => {
  it('refuses short passwords, whatever they are made of', async () => {
    for (const pw of ['12345678', 'password', '        ', 'Ab1!Ab1!Ab'.slice(0, 9)])
      expect(await codesOf(pw), pw).toEqual(['NX_ERR_AUTH_PASSWORD_TOO_SHORT']);
  });

  it('refuses common and guessable passwords of any length, with a hint', async () => {
    for (const pw of [
      '1234567890',
      'password123',
      'qwertyuiop',
      'qwertyuiop123',
      '          ',
      'aaaaaaaaaaaa',
      'iloveyou2021',
      'zhangsan123',
      'woaini1314520',
      '1990-01-01',
    ]) {
      const problems = await passwordProblems(pw, owner, '/body/newPassword');
      expect(
        problems.map((p) => p.code),
        pw,
      ).toEqual(['NX_ERR_AUTH_PASSWORD_WEAK']);
      expect(problems[0]?.path).toBe('/body/newPassword');
      expect(problems[0]?.hint?.['zh-CN'].length).toBeGreaterThan(0);
      expect(problems[0]?.params).toMatchObject({ minScore: PASSWORD_MIN_SCORE });
    }
  });

  it('refuses a password containing the username, in any case', async () => {
    expect(await codesOf('BaiYiCun.Staff-2024-x')).toEqual(['NX_ERR_AUTH_PASSWORD_CONTAINS_USERNAME']);
    // Parts of the username and the display name make a password guessable too.
    expect(await codesOf('baiyicun20211', owner)).toEqual(['NX_ERR_AUTH_PASSWORD_WEAK']);
  });

  it('accepts long uncommon passwords, the demo password and the test password', async () => {
    for (const pw of [
      DEMO_PASSWORD,
      PASSWORD,
      'correct horse battery staple',
      'Tr0ub4dor&3x-mule',
      '春眠不觉晓处处闻啼鸟',
    ])
      expect(await codesOf(pw), pw).toEqual([]);
  });

  it('registers every code it answers with a bilingual message', async () => {
    const all = [
      'NX_ERR_AUTH_PASSWORD_TOO_SHORT',
      'NX_ERR_AUTH_PASSWORD_TOO_LONG',
      'NX_ERR_AUTH_PASSWORD_CONTAINS_USERNAME',
      'NX_ERR_AUTH_PASSWORD_WEAK',
      'NX_ERR_AUTH_PASSWORD_REJECTED',
    ];
    for (const c of all) expect(codes[c]?.message.en, c).toBeTruthy();
    expect(await codesOf('x'.repeat(201))).toEqual(['NX_ERR_AUTH_PASSWORD_TOO_LONG']);
  });

  it('scores hostile passwords off the event loop', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    try {
      const hostile = ['qwerty'.repeat(33), '1'.repeat(200), 'p@ssw0rd'.repeat(25), '2021-01-01'.repeat(20)];
      const results = await Promise.all(hostile.map((pw) => codesOf(pw, { username: 'x9' })));
      for (const r of results) expect(r).toEqual(['NX_ERR_AUTH_PASSWORD_WEAK']);
    } finally {
      clearInterval(timer);
    }
    // The timer kept firing while the checks ran: the main thread was free.
    expect(ticks).toBeGreaterThan(0);
  });
});
