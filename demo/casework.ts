import type { FastifyInstance } from 'fastify';
import { DEMO_PASSWORD } from './users.ts';

/**
 * A clock the demo moves: the casework of the demo happens over the weeks before today, so
 * that a newcomer opens a county where surveys were filed, cases waited their notice period
 * and a month was paid.
 */
export interface DemoClock {
  (): string;
  /** Sets the instant (ISO 8601). */
  set(iso: string): void;
}

export function demoClock(start: string): DemoClock {
  let now = start;
  const clock = (() => now) as DemoClock;
  clock.set = (iso: string) => {
    now = iso;
  };
  return clock;
}

/** The instant `days` (fractional) after `iso`. */
export function plusDays(iso: string, days: number): string {
  return new Date(Date.parse(iso) + days * 86_400_000).toISOString();
}

/** What a user of the demo does through the HTTP API, as the pages would: one write path. */
export interface DemoActor {
  readonly username: string;
  call<T = unknown>(
    method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
    url: string,
    body?: unknown,
  ): Promise<T>;
  /** A GET whose answer is a file (CSV), as text. */
  text(url: string): Promise<string>;
}

/** A demo step that the API refused: the demo stops with what and why, never half-silently. */
export class DemoStepError extends Error {
  constructor(
    readonly step: string,
    readonly statusCode: number,
    readonly body: string,
  ) {
    super(`demo step "${step}" answered ${statusCode}: ${body.slice(0, 500)}`);
  }
}

/** Logs a demo user in (the demo password) and returns an actor calling the app in-process. */
export async function demoActor(app: FastifyInstance, username: string): Promise<DemoActor> {
  const login = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username, password: DEMO_PASSWORD },
  });
  if (login.statusCode !== 200) throw new DemoStepError(`login ${username}`, login.statusCode, login.body);
  const token = (login.json() as { token: string }).token;
  return {
    username,
    async call<T>(method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, body?: unknown) {
      const r = await app.inject({
        method,
        url,
        headers: { authorization: `Bearer ${token}` },
        ...(body === undefined ? {} : { payload: body as Record<string, unknown> }),
      });
      if (r.statusCode >= 400) throw new DemoStepError(`${username} ${method} ${url}`, r.statusCode, r.body);
      return (r.body ? r.json() : undefined) as T;
    },
    async text(url: string) {
      const r = await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
      if (r.statusCode >= 400) throw new DemoStepError(`${username} GET ${url}`, r.statusCode, r.body);
      return r.body;
    },
  };
}
