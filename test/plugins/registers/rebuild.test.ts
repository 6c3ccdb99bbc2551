import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dumpRegister, loadRegisters, rebuildRegister } from '../../../plugins/registers/index.ts';
import type { TestApp } from '../../helpers/app.ts';
import { dialects, type TestDatabase } from '../../helpers/dialects.ts';
import { householdData, OTHER_VILLAGE, registersApp, submitSurvey, VILLAGE } from './setup.ts';

const households = loadRegisters().find((d) => d.id === 'households');
if (!households) throw new Error('households register not shipped');

type Json = Record<string, unknown>;
const UNITS = [VILLAGE, OTHER_VILLAGE, '511902', '510104'];
const N = 48;

/**
 * A generated province: households in four units, re-surveys (prefilled, offline as new, with the
 * check character in lower case), members shared between households, drafts submitted later, a
 * corrected survey, and every manual action. The rebuilt register must equal the live one.
 */
describe.each(dialects())('register rebuild on a generated province on $name', (dialect) => {
  let t: TestDatabase;
  let a: TestApp;
  const heads: string[] = [];
  beforeAll(async () => {
    t = await dialect.open();
    a = await registersApp(t);
  });
  afterAll(async () => {
    await a?.close();
    await t?.destroy();
  });

  const api = async (method: 'GET' | 'POST' | 'PATCH', url: string, body?: unknown) => {
    const r = await a.call('admin', method, url, body);
    if (r.statusCode >= 300) throw new Error(`${method} ${url}: ${r.statusCode} ${r.body}`);
    return r.json() as Json;
  };
  const recordOf = async (idNumber: string) => {
    const r = (await api('POST', '/api/registers/households/search', { idNumber })) as {
      items: { record: Json; role: string }[];
    };
    return r.items.find((i) => i.role === 'key')?.record as Json;
  };

  it('builds a live register from surveys and actions', async () => {
    const data: Json[] = [];
    for (let i = 0; i < N; i++) {
      const h = householdData(500 + i);
      data.push(h);
      heads.push(String(h.headIdNumber));
      await submitSurvey(a, h, { user: 'admin', orgUnit: UNITS[i % UNITS.length] as string });
    }
    // Follow-ups prefilled from the current version.
    for (let i = 0; i < 6; i++) {
      const rec = await recordOf(heads[i] as string);
      const pre = (await api('GET', `/api/registers/households/records/${rec.id}/prefill`)) as { data: Json };
      await submitSurvey(a, { ...data[i], ...pre.data, surveyorName: '复查员' }, { user: 'admin' });
    }
    // Filled offline as new families that were already registered: conflicts.
    for (let i = 6; i < 10; i++) {
      await submitSurvey(
        a,
        { ...data[i], headIdNumber: heads[i]?.toLowerCase(), registerBaseVersion: 0 },
        {
          user: 'admin',
        },
      );
    }
    // A blank form for a known family: an update.
    await submitSurvey(a, { ...data[10], headIdNumber: heads[10]?.toLowerCase() }, { user: 'admin' });
    // Members who also appear in another household.
    for (let i = 11; i < 15; i++) {
      const donor = ((data[i + 10]?.members ?? []) as Json[]).find((m) => m.idNumber);
      const own = [...((data[i]?.members ?? []) as Json[])];
      if (!donor || own.length === 0) continue;
      own[0] = { ...donor, relation: own[0]?.relation };
      await submitSurvey(a, { ...data[i], members: own }, { user: 'admin' });
    }
    // Drafts: two submitted later, one left as a draft (not in the register).
    const drafts: { id: string; version: number }[] = [];
    for (let i = 0; i < 3; i++) {
      const id = await submitSurvey(a, householdData(900 + i), { user: 'admin', status: 'draft' });
      drafts.push({ id, version: 1 });
    }
    for (const d of drafts.slice(0, 2))
      await api('PATCH', `/api/submissions/${d.id}`, { status: 'submitted', version: d.version });
    // A submitted survey corrected afterwards.
    const corrected = (await api('POST', '/api/registers/households/search', { idNumber: heads[20] })) as {
      items: { record: Json }[];
    };
    const timeline = (await api(
      'GET',
      `/api/registers/households/records/${corrected.items[0]?.record.id}`,
    )) as {
      versions: Json[];
    };
    const sid = String(timeline.versions[0]?.submissionId);
    const sub = await api('GET', `/api/submissions/${sid}`);
    await api('PATCH', `/api/submissions/${sid}`, {
      data: { ...(sub.data as Json), surveyorName: '更正' },
      version: sub.version,
    });

    // Manual actions.
    const conflicts = (await api('GET', '/api/registers/households/inbox?kind=conflict')) as {
      items: Json[];
    };
    expect(conflicts.items).toHaveLength(4);
    await api('POST', `/api/registers/households/flags/${conflicts.items[0]?.id}/resolve`, {
      choice: 'take',
    });
    await api('POST', `/api/registers/households/flags/${conflicts.items[1]?.id}/resolve`, {
      choice: 'keep',
    });
    const dups = (await api('GET', '/api/registers/households/inbox?kind=duplicate')) as { items: Json[] };
    expect(dups.items.length).toBeGreaterThan(0);
    await api('POST', '/api/registers/households/merge', {
      keep: dups.items[0]?.otherRecordId,
      drop: dups.items[0]?.recordId,
    });
    if (dups.items[1])
      await api('POST', `/api/registers/households/flags/${dups.items[1].id}/resolve`, { choice: 'dismiss' });
    const moving = await recordOf(heads[0] as string);
    await api('POST', `/api/registers/households/records/${moving.id}/transfer`, { to: OTHER_VILLAGE });
    // A transfer asked by the village and accepted by the county: owned by the new village from then on.
    const asked = await recordOf(heads[16] as string);
    const pending = await a.call(
      'villageStaff',
      'POST',
      `/api/registers/households/records/${asked.id}/transfer`,
      {
        to: OTHER_VILLAGE,
      },
    );
    expect((pending.json() as Json).state, pending.body).toBe('pending');
    const accepted = await a.call(
      'pingchangStaff',
      'POST',
      `/api/registers/households/transfers/${(pending.json() as Json).transferId}`,
      { accept: true },
    );
    expect(accepted.statusCode, accepted.body).toBe(200);
    const closing = await recordOf(heads[3] as string);
    await api('POST', `/api/registers/households/records/${closing.id}/status`, {
      status: 'closed',
      reason: 'moved-out',
      effective: '2021-07-01',
    });
    // A survey after the actions: the dropped record's head now leads to the kept record.
    await submitSurvey(a, householdData(500 + 5), { user: 'admin' });
  });

  it('rebuilds it byte for byte, and reports what it folded', async () => {
    const live = await dumpRegister(t.db, households);
    const report = await rebuildRegister(t.db, households);
    expect(await dumpRegister(t.db, households)).toBe(live);
    expect(report.records).toBe(N + 2);
    expect(report.openConflicts).toBe(2);
    expect(report.actions).toBeGreaterThanOrEqual(5);
    expect(report.skipped).toEqual([]);
    const parsed = JSON.parse(live) as {
      versions: Json[];
      records: Json[];
      typedVersions: Json[];
      statuses: Json[];
      owners: Json[];
    };
    expect(parsed.versions.length).toBe(report.versions);
    expect(parsed.records.filter((r) => r.status === 'merged')).toHaveLength(1);
    // The history is rebuilt too: every applied version in the typed versions table, dated by its
    // survey, and each record's statuses with their effective days (the closure as it was given).
    expect(parsed.typedVersions.length).toBe(parsed.versions.filter((v) => v.conflict === 0).length);
    expect(parsed.typedVersions.every((v) => /^\d{4}-\d{2}-\d{2}$/.test(String(v.effective)))).toBe(true);
    expect(parsed.statuses.filter((s) => s.status === 'active')).toHaveLength(N + 2);
    // Each record's first owner, and the two transfers with the day each completed.
    const owners = parsed.owners;
    expect(owners).toHaveLength(N + 2 + 2);
    for (const head of [heads[0], heads[16]]) {
      const rec = await recordOf(head as string);
      const own = owners.filter((o) => o.record_id === rec.id).sort((x, y) => Number(x.seq) - Number(y.seq));
      expect(own.map((o) => o.org_code)).toEqual([VILLAGE, OTHER_VILLAGE]);
      expect(own.every((o) => /^\d{4}-\d{2}-\d{2}$/.test(String(o.effective)))).toBe(true);
    }
    expect(parsed.statuses.filter((s) => s.status === 'merged')).toHaveLength(1);
    expect(parsed.statuses.filter((s) => s.status === 'closed').map((s) => [s.reason, s.effective])).toEqual([
      ['moved-out', '2021-07-01'],
    ]);
  });
});
