import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from '../helpers/app.ts';
import { dialects, type TestDatabase } from '../helpers/dialects.ts';
import {
  householdData,
  OTHER_VILLAGE,
  registersApp,
  submitSurvey,
  VILLAGE,
} from '../plugins/registers/setup.ts';
import { runMain } from './run-main.ts';

type Json = Record<string, unknown>;

describe.each(dialects())('nuanxin registers on $name', (dialect) => {
  let t: TestDatabase;
  let a: TestApp;
  let dir: string;
  const first = householdData(41);
  beforeAll(async () => {
    t = await dialect.open();
    a = await registersApp(t);
    dir = mkdtempSync(join(tmpdir(), 'nuanxin-registers-'));
    await submitSurvey(a, first);
  });
  afterAll(async () => {
    await a?.close();
    await t?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });
  const cli = (...args: string[]) => runMain(['registers', ...args, '--db', t.url]);

  it('lists records masked unless --pii is given', async () => {
    const masked = await cli('list', 'households');
    expect(masked.code, masked.stderr).toBe(0);
    const items = (JSON.parse(masked.stdout) as { items: Json[] }).items;
    expect(items).toHaveLength(1);
    const id = String(first.headIdNumber);
    expect(items[0]?.key).toBe(`${id.slice(0, 4)}**********${id.slice(-4)}`);
    const whole = JSON.parse((await cli('list', 'households', '--pii')).stdout) as { items: Json[] };
    expect(whole.items[0]?.key).toBe(id);
  });

  it('imports a CSV list as records, flags a member already in an active household, and rejects bad rows', async () => {
    const member = (first.members as { idNumber?: string }[]).find((m) => m.idNumber)?.idNumber;
    expect(member).toBeDefined();
    const other = householdData(42);
    const file = join(dir, 'list.csv');
    writeFileSync(
      file,
      [
        'headIdNumber,headName,householdSize,members,orgCode',
        `${String(other.headIdNumber).toLowerCase()},${other.headName},2,${member},${OTHER_VILLAGE}`,
        `12345,坏行,1,,${VILLAGE}`,
      ].join('\n'),
    );
    const r = await cli('import', 'households', file);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as { imported: number; rejected: number; problems: string[] };
    expect(out).toMatchObject({ imported: 1, rejected: 1 });
    expect(out.problems[0]).toContain('row 3');
    const inbox = (
      await a.call('pingchangReviewer', 'GET', '/api/registers/households/inbox?kind=duplicate')
    ).json() as {
      items: Json[];
    };
    expect(inbox.items).toHaveLength(1);
  });

  it('merges and transfers through the CLI, and a rebuild changes nothing', async () => {
    const list = JSON.parse((await cli('list', 'households')).stdout) as { items: Json[] };
    const [keep, drop] = list.items.map((i) => String(i.id));
    const merged = await cli('merge', 'households', String(keep), String(drop), '--as', 'pingchangReviewer');
    expect(merged.code, merged.stderr).toBe(0);
    const moved = await cli('transfer', 'households', String(keep), OTHER_VILLAGE);
    expect(JSON.parse(moved.stdout)).toEqual({ state: 'done' });
    const outside = await cli('show', 'households', String(keep), '--as', 'chengduStaff');
    expect(outside.code).toBe(1);
    expect(outside.stderr).toContain('NX_ERR_REGISTERS_NOT_FOUND');
    const shown = JSON.parse((await cli('show', 'households', String(keep))).stdout) as {
      record: Json;
      merged: string[];
    };
    expect(shown.record.ownerOrgCode).toBe(OTHER_VILLAGE);
    expect(shown.merged).toEqual([drop]);
    const rebuilt = await cli('rebuild', 'households', '--check');
    expect(rebuilt.code, rebuilt.stdout).toBe(0);
    expect(JSON.parse(rebuilt.stdout)).toMatchObject({ unchanged: true, records: 2, openDuplicates: 0 });
  });
});
