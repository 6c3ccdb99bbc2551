import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { LoginThrottlePolicy } from '../../../engine/auth/login-throttle.ts';
import { buildApp } from '../../../engine/server/app.ts';
import { createDatabase } from '../../../engine/store/database.ts';
import { PASSWORD, type TestApp, testApp } from '../../helpers/app.ts';
import { dialects, type TestDatabase } from '../../helpers/dialects.ts';

const MIN = 60_000;
const POLICY: LoginThrottlePolicy = {
  user: { maxAttempts: 3, baseLockMs: MIN, maxLockMs: 4 * MIN },
  ip: { maxAttempts: 6, baseLockMs: MIN, maxLockMs: 4 * MIN },
  forgetAfterMs: 60 * MIN,
};

type Inject = TestApp['app']['inject'];

describe.each(dialects())('login throttling on $name', (dialect) => {
  let t: TestDatabase;
  let a: TestApp;
  beforeAll(async () => {
    t = await dialect.open();
    a = await testApp(t, { loginThrottle: POLICY });
  });
  afterAll(async () => {
    await a?.close();
    await t?.destroy();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const loginVia = (inject: Inject, username: string, password: string, ip: string) =>
    inject({ method: 'POST', url: '/api/auth/login', payload: { username, password }, remoteAddress: ip });
  const login = (username: string, password: string, ip: string) =>
    loginVia(a.app.inject.bind(a.app), username, password, ip);
  const later = (ms: number) => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + ms);
  };

  it('locks an account after its limit of failures from any addresses; even the right password gets 429 until the lock lifts', async () => {
    const statuses = [];
    for (const ip of ['10.1.0.1', '10.1.0.2', '10.1.0.3'])
      statuses.push((await login('bazhouStaff', 'wrong-guess', ip)).statusCode);
    expect(statuses).toEqual([401, 401, 401]);

    const locked = await login('bazhouStaff', PASSWORD, '10.1.0.4');
    expect(locked.statusCode).toBe(429);
    expect(locked.json()).toMatchObject({
      code: 'NX_ERR_AUTH_ACCOUNT_LOCKED',
      message: { 'zh-CN': expect.any(String), en: expect.any(String) },
    });
    const retry = Number(locked.headers['retry-after']);
    expect(retry).toBeGreaterThan(0);
    expect(retry).toBeLessThanOrEqual(60);
    // Other accounts, from the same addresses, are not affected.
    expect((await login('bazhouReviewer', PASSWORD, '10.1.0.3')).statusCode).toBe(200);

    later(retry * 1000 + 1000);
    // The lock lifted; one more failure locks again, twice as long (back-off).
    expect((await login('bazhouStaff', 'wrong-again', '10.1.0.5')).statusCode).toBe(401);
    const again = await login('bazhouStaff', PASSWORD, '10.1.0.5');
    expect(again.statusCode).toBe(429);
    expect(Number(again.headers['retry-after'])).toBeGreaterThan(60);
    expect(Number(again.headers['retry-after'])).toBeLessThanOrEqual(120);

    later(121_000);
    expect((await login('bazhouStaff', PASSWORD, '10.1.0.5')).statusCode).toBe(200);
    // A success forgets the account's failures: the limit starts afresh.
    for (let i = 0; i < 2; i++)
      expect((await login('bazhouStaff', 'x-wrong', '10.1.0.6')).statusCode).toBe(401);
    expect((await login('bazhouStaff', PASSWORD, '10.1.0.6')).statusCode).toBe(200);
  });

  it('throttles one address spraying many usernames, known or not, with the same answers', async () => {
    const ip = '10.2.0.1';
    const names = ['nobody-1', 'pingchangViewer', 'nobody-2', 'villageStaff', 'nobody-3', 'chengduStaff'];
    const answers = [];
    for (const n of names) answers.push(await login(n, 'Spring2021!', ip));
    expect(answers.map((r) => r.statusCode)).toEqual([401, 401, 401, 401, 401, 401]);
    expect(new Set(answers.map((r) => r.body)).size).toBe(1);

    const blocked = await login('pingchangStaff', PASSWORD, ip);
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json()).toMatchObject({ code: 'NX_ERR_AUTH_ADDRESS_THROTTLED' });
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    // Unknown and known usernames are refused alike at a throttled address.
    expect((await login('nobody-4', 'x', ip)).body).toBe(blocked.body);
    // The same user elsewhere is served; its account was not charged for the address's lock.
    expect((await login('pingchangStaff', PASSWORD, '10.2.0.2')).statusCode).toBe(200);
  });

  it("an office's successful logins never lock its address", async () => {
    for (let i = 0; i < POLICY.ip.maxAttempts * 2; i++)
      expect((await login('pingchangReviewer', PASSWORD, '10.3.0.1')).statusCode).toBe(200);
  });

  it('checks no more than the limit of concurrent guesses at one account', async () => {
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => login('bazhongReviewer', `guess-${i}`, `10.4.0.${i + 1}`)),
    );
    const statuses = answers.map((r) => r.statusCode);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(POLICY.user.maxAttempts);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(20 - POLICY.user.maxAttempts);
    expect(statuses.every((s) => s === 401 || s === 429)).toBe(true);
  });

  it('holds across server processes on one database', async () => {
    const db2 = createDatabase(t.url);
    const other = await buildApp({ db: db2, loginThrottle: POLICY, migrate: false });
    try {
      for (const ip of ['10.5.0.1', '10.5.0.2', '10.5.0.3'])
        expect((await login('admin', 'not-it-at-all', ip)).statusCode).toBe(401);
      const there = await loginVia(other.inject.bind(other), 'admin', PASSWORD, '10.5.0.4');
      expect(there.statusCode).toBe(429);
      expect(there.json()).toMatchObject({ code: 'NX_ERR_AUTH_ACCOUNT_LOCKED' });
    } finally {
      await other.close();
      await db2.destroy();
    }
  });
});
