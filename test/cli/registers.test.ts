import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getOrgUnit } from '../../engine/entry/server.ts';
import { benefitsDb } from '../../plugins/benefits/index.ts';
import { saveDecision } from '../../plugins/rules/index.ts';
import { sexOfIdcard } from '../factories/idcard.ts';
import type { TestApp } from '../helpers/app.ts';
import { dialects, type TestDatabase } from '../helpers/dialects.ts';
import {
  householdData,
  idcardEndingInX,
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

  it('lists masked for an --as user without pii even with --pii, and refuses an unknown user', async () => {
    const id = String(first.headIdNumber);
    const listed = await cli('list', 'households', '--as', 'pingchangViewer', '--pii');
    expect(listed.code, listed.stderr).toBe(0);
    const items = (JSON.parse(listed.stdout) as { items: Json[] }).items;
    expect(items).toHaveLength(1);
    expect(items[0]?.key).not.toBe(id);
    const nobody = await cli('list', 'households', '--as', 'no-such-user');
    expect(nobody.code).not.toBe(0);
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

/**
 * `show` builds the record's answer as the API does (the registers service, with the sections the
 * configured plugins add): the rules' decisions for whoever may see the record, the benefits only
 * for the benefits' readers — field staff get none — and `--as` gives the user's unit and roles.
 */
describe.each(dialects())('nuanxin registers show with the configured plugins on $name', (dialect) => {
  let t: TestDatabase;
  let a: TestApp;
  let dir: string;
  let config: string;
  let recordId = '';
  const head = idcardEndingInX('1958-08-08');

  beforeAll(async () => {
    t = await dialect.open();
    a = await registersApp(t, ['rules', 'report', 'benefits']);
    dir = mkdtempSync(join(tmpdir(), 'nuanxin-registers-show-'));
    config = join(dir, 'nuanxin.config.json');
    writeFileSync(config, JSON.stringify({ plugins: ['rules', 'registers', 'report', 'benefits'] }));
    const submissionId = await submitSurvey(a, {
      ...householdData(45),
      headIdNumber: head,
      headName: '吴长林',
      headSex: sexOfIdcard(head),
    });
    const found = await a.call('pingchangStaff', 'POST', '/api/registers/households/search', {
      idNumber: head,
    });
    recordId = String((found.json() as { items: { record: Json }[] }).items[0]?.record.id);
    await saveDecision(t.db, {
      submissionId,
      decision: {
        ruleset: 'household-eligibility',
        version: 1,
        asOf: '2026-01-05',
        orgCode: VILLAGE,
        area: 'rural',
        parameters: {},
        facts: {},
        outputs: { inRoster: true, entitlement: 120 },
        explanation: [],
      },
    });
    const village = await getOrgUnit(t.db, VILLAGE);
    await benefitsDb(t.db)
      .insertInto('benefits')
      .values({
        id: 'b-show',
        household_key: head,
        head_name: '吴长林',
        org_code: VILLAGE,
        org_path: String(village?.path),
        type: 'dibao',
        period: 'monthly',
        amount_cents: 49000,
        status: 'active',
        start_month: '2026-01',
        end_month: null,
        next_review_on: null,
        application_id: 'app-b-show',
        case_id: 'case-b-show',
        decision_id: null,
        created_at: '2026-01-05T00:00:00.000Z',
        updated_at: '2026-01-05T00:00:00.000Z',
        version: 1,
      })
      .execute();
  });
  afterAll(async () => {
    await a?.close();
    await t?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  /** `nuanxin registers show households <record>` on the test database and config. */
  const showRun = (...args: string[]) =>
    runMain(['registers', 'show', 'households', recordId, '--db', t.url, '--config', config, ...args]);
  const show = async (...args: string[]) => {
    const r = await showRun(...args);
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout) as Json;
  };
  const api = async (user: string) => {
    const r = await a.call(user, 'GET', `/api/registers/households/records/${recordId}`);
    expect(r.statusCode, r.body).toBe(200);
    return r.json() as Json;
  };

  it('carries the decisions and, for a benefits reader, the benefits: the answer the API gives the user', async () => {
    const shown = await show('--as', 'pingchangReviewer', '--pii');
    expect(shown.decisions).toEqual([
      expect.objectContaining({
        ruleset_id: 'household-eligibility',
        outputs: { inRoster: true, entitlement: 120 },
      }),
    ]);
    expect(shown.benefits).toEqual([expect.objectContaining({ id: 'b-show', amount: 490 })]);
    expect(shown).toEqual(await api('pingchangReviewer'));
  });

  it('leaves the benefits out for field staff, as the API does, and keeps the decisions', async () => {
    const shown = await show('--as', 'pingchangStaff', '--pii');
    expect(shown).not.toHaveProperty('benefits');
    expect(shown.decisions).toHaveLength(1);
    expect(shown).toEqual(await api('pingchangStaff'));
  });

  it('masks ID numbers for a user without pii even with --pii, as the API does', async () => {
    const shown = await show('--as', 'pingchangViewer', '--pii');
    expect((shown.record as Json).key).not.toBe(head);
    expect(shown).toEqual(await api('pingchangViewer'));
  });

  it('bounds the record by the --as user’s unit', async () => {
    const r = await showRun('--as', 'chengduStaff');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('NX_ERR_REGISTERS_NOT_FOUND');
  });

  it('without a registers plugin in the configuration, shows the register’s own parts', async () => {
    const bare = join(dir, 'bare.json');
    writeFileSync(bare, JSON.stringify({ plugins: [] }));
    const r = await runMain(['registers', 'show', 'households', recordId, '--db', t.url, '--config', bare]);
    expect(r.code, r.stderr).toBe(0);
    const shown = JSON.parse(r.stdout) as Json;
    expect((shown.record as Json).id).toBe(recordId);
    expect(shown).not.toHaveProperty('decisions');
    expect(shown).not.toHaveProperty('benefits');
  });
});
