import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_HASH_LIMITS } from '../../../engine/auth/hash-slots.ts';
import { DEFAULT_LOGIN_THROTTLE } from '../../../engine/auth/login-throttle.ts';
import { PASSWORD, type TestApp, testApp } from '../../helpers/app.ts';
import { dialects, type TestDatabase } from '../../helpers/dialects.ts';

/** Floods of logins with unknown usernames must not starve a real user's login. */
describe.each(dialects())('login floods on $name', (dialect) => {
  let t: TestDatabase | undefined;
  let a: TestApp | undefined;
  afterEach(async () => {
    await a?.close();
    await t?.destroy();
  });

  const login = (app: TestApp, username: string, password: string, ip: string) =>
    app.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username, password },
      remoteAddress: ip,
    });

  it('one address sending 400 unknown usernames gets at most its limit of passwords checked; the real user is served', async () => {
    t = await dialect.open();
    a = await testApp(t, { passwordHashing: DEFAULT_HASH_LIMITS });
    const app = a;
    const flood = Array.from({ length: 400 }, (_, i) => login(app, `ghost-${i}`, 'guess-1234', '10.66.0.1'));
    const real = login(app, 'pingchangStaff', PASSWORD, '10.7.0.1');
    const answers = await Promise.all(flood);
    expect((await real).statusCode).toBe(200);

    const statuses = answers.map((r) => r.statusCode);
    // Only attempts that reached a password check answer 401; every other one was refused before hashing.
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(
      DEFAULT_LOGIN_THROTTLE.ip.maxAttempts,
    );
    for (const r of answers.filter((x) => x.statusCode !== 401)) {
      expect([429, 503]).toContain(r.statusCode);
      expect(['NX_ERR_AUTH_ADDRESS_THROTTLED', 'NX_ERR_AUTH_BUSY']).toContain(
        (r.json() as { code: string }).code,
      );
      expect(Number(r.headers['retry-after'])).toBeGreaterThan(0);
    }
  });

  it('many addresses at once fill the hashing queue: the rest are refused at once with 503 and Retry-After, and nothing stays locked', async () => {
    t = await dialect.open();
    a = await testApp(t, { passwordHashing: { concurrency: 1, maxQueued: 2 } });
    const app = a;
    const known = ['villageStaff', 'pingchangViewer', 'chengduStaff', 'bazhouReviewer', 'bazhongReviewer'];
    const names = (i: number) => (i % 40 === 0 ? (known[i / 40] ?? 'admin') : `ghost-${i}`);
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, i) => login(app, names(i), 'guess-1234', `10.88.${i >> 8}.${i & 255}`)),
    );
    const busy = answers.filter((r) => r.statusCode === 503);
    expect(busy.length).toBeGreaterThan(0);
    expect(answers.every((r) => r.statusCode === 401 || r.statusCode === 503)).toBe(true);
    for (const r of busy) {
      expect(r.json()).toMatchObject({ code: 'NX_ERR_AUTH_BUSY' });
      expect(Number(r.headers['retry-after'])).toBeGreaterThan(0);
    }
    // A known username's refusals look exactly like an unknown one's.
    const bodiesOf = (pred: (i: number) => boolean, status: number) =>
      new Set(answers.filter((r, i) => pred(i) && r.statusCode === status).map((r) => r.body));
    expect([...bodiesOf((i) => i % 40 === 0, 503)]).toEqual([...bodiesOf((i) => i % 40 !== 0, 503)]);

    // Refused-while-busy attempts were not counted: the real user's account is not locked.
    expect((await login(app, 'villageStaff', PASSWORD, '10.7.0.2')).statusCode).toBe(200);
  });
});
