import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { httpError, notFound } from '../../../engine/errors/domain-errors.ts';
import { httpError as serverHttpError } from '../../../engine/server/http-error.ts';

const ENGINE = resolve(import.meta.dirname, '../../../engine');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return sources(p);
    return name.endsWith('.ts') ? [p] : [];
  });
}

describe('domain errors', () => {
  it('no engine code outside engine/server (and the public entries) imports from engine/server', () => {
    const isEntry = (f: string) => f === join(ENGINE, 'index.ts') || f === join(ENGINE, 'entry', 'server.ts');
    const offenders = sources(ENGINE)
      .filter((f) => relative(join(ENGINE, 'server'), f).startsWith('..') && !isEntry(f))
      .flatMap((f) =>
        [...readFileSync(f, 'utf8').matchAll(/from\s*'([^']+)'/g)]
          .map((m) => resolve(dirname(f), m[1] as string))
          .filter((target) => !relative(join(ENGINE, 'server'), target).startsWith('..'))
          .map((target) => `${relative(ENGINE, f)} → ${relative(ENGINE, target)}`),
      );
    expect(offenders).toEqual([]);
  });

  it('take status and message from the registry; the server keeps the same helper under its old name', () => {
    const e = notFound();
    expect([e.code, e.statusCode, e.messageText.en.length > 0]).toEqual(['NX_ERR_HTTP_NOT_FOUND', 404, true]);
    expect(serverHttpError).toBe(httpError);
  });
});
