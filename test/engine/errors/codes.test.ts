import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { codes } from '../../../engine/errors/codes.ts';
import { defineErrors, nxError } from '../../../engine/errors/define-errors.ts';
import { BENEFITS_CODES } from '../../../plugins/benefits/errors.ts';
import { CROSSCHECKS_CODES } from '../../../plugins/crosschecks/errors.ts';
import { PAYMENTS_CODES } from '../../../plugins/payments/errors.ts';
import { REGISTERS_CODES } from '../../../plugins/registers/errors.ts';
import { REPORT_CODES } from '../../../plugins/report/errors.ts';
import { RULES_CODES } from '../../../plugins/rules/errors.ts';

const ROOT = resolve(import.meta.dirname, '../../..');
const TABLES = {
  engine: codes,
  rules: RULES_CODES,
  report: REPORT_CODES,
  registers: REGISTERS_CODES,
  benefits: BENEFITS_CODES,
  payments: PAYMENTS_CODES,
  crosschecks: CROSSCHECKS_CODES,
};

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return name === 'node_modules' ? [] : sources(p);
    return /\.(ts|mjs)$/.test(name) ? [p] : [];
  });
}

describe('error code registry', () => {
  it('names every code NX_ERR_<AREA>_<WHAT> with a bilingual message and an HTTP status', () => {
    for (const table of Object.values(TABLES)) {
      for (const [code, info] of Object.entries(table)) {
        expect(code).toMatch(/^NX_ERR_[A-Z0-9]+_[A-Z0-9_]+$/);
        expect(info.message['zh-CN'].length, code).toBeGreaterThan(0);
        expect(info.message.en.length, code).toBeGreaterThan(0);
        expect(info.status, code).toBeGreaterThanOrEqual(400);
        expect(info.status, code).toBeLessThan(600);
      }
    }
  });

  it("a built-in plugin's codes carry its prefix and none is the engine's", () => {
    for (const [name, table] of [
      ['RULES', RULES_CODES],
      ['REPORT', REPORT_CODES],
      ['PAYMENTS', PAYMENTS_CODES],
    ] as const) {
      for (const code of Object.keys(table)) {
        expect(code.startsWith(`NX_ERR_${name}_`), code).toBe(true);
        expect(Object.hasOwn(codes, code), code).toBe(false);
      }
    }
  });

  it('every code written in engine/, plugins/ and cli/ is registered (engine or its plugin)', () => {
    const known = new Set(Object.values(TABLES).flatMap((t) => Object.keys(t)));
    const unknown = new Set<string>();
    for (const dir of ['engine', 'plugins', 'cli']) {
      for (const file of sources(join(ROOT, dir))) {
        for (const m of readFileSync(file, 'utf8').matchAll(/['"`](NX_ERR_[A-Z0-9_]*[A-Z0-9])['"`]/g)) {
          if (!known.has(m[1] as string)) unknown.add(`${m[1]} (${file.slice(ROOT.length + 1)})`);
        }
      }
    }
    expect([...unknown]).toEqual([]);
  });

  it('the typed helpers take the status and message from the registry', () => {
    const e = nxError('NX_ERR_HTTP_NOT_FOUND');
    expect([e.code, e.statusCode, e.messageText]).toEqual([
      'NX_ERR_HTTP_NOT_FOUND',
      codes.NX_ERR_HTTP_NOT_FOUND?.status,
      codes.NX_ERR_HTTP_NOT_FOUND?.message,
    ]);
    const own = defineErrors({ NX_ERR_X_GONE: { status: 410, message: { 'zh-CN': '没了', en: 'Gone' } } });
    const x = own('NX_ERR_X_GONE', { 'zh-CN': '这份没了', en: 'This one is gone' });
    expect([x.statusCode, x.messageText.en]).toEqual([410, 'This one is gone']);
  });
});
