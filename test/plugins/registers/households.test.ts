import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dumpRegister, loadRegisters, rebuildRegister } from '../../../plugins/registers/index.ts';
import { idcardAgeOn } from '../../factories/idcard.ts';
import type { TestApp } from '../../helpers/app.ts';
import { dialects, type TestDatabase } from '../../helpers/dialects.ts';
import {
  householdData,
  idcardEndingInX,
  OTHER_VILLAGE,
  registersApp,
  submitSurvey,
  VILLAGE,
} from './setup.ts';

const households = loadRegisters().find((d) => d.id === 'households');
if (!households) throw new Error('households register not shipped');

type Json = Record<string, unknown>;

/** The first generated household from `seed` on that lists at least one member. */
function householdWithMembers(seed: number): Json {
  for (let s = seed; s < seed + 100; s++) {
    const h = householdData(s);
    if ((h.members as unknown[]).length > 0) return h;
  }
  throw new Error('no household with members');
}

describe.each(dialects())('households register on $name', (dialect) => {
  let t: TestDatabase;
  let a: TestApp;
  const headId = idcardEndingInX();
  let recordId = '';

  beforeAll(async () => {
    t = await dialect.open();
    a = await registersApp(t);
  });
  afterAll(async () => {
    await a?.close();
    await t?.destroy();
  });

  const show = async (
    id: string,
    user: 'pingchangStaff' | 'villageStaff' | 'chengduStaff' = 'pingchangStaff',
  ) => a.call(user, 'GET', `/api/registers/households/records/${id}`);

  it('makes two surveys of one head (x and X, one filled offline as new) one record with two versions and one conflict', async () => {
    const first = await submitSurvey(a, { ...householdData(21), headIdNumber: headId, headName: '王建国' });
    const offline = await submitSurvey(a, {
      ...householdData(22),
      headIdNumber: headId.toLowerCase(),
      headName: '王建國',
      registerBaseVersion: 0,
    });
    const list = await a.call('pingchangStaff', 'GET', '/api/registers/households/records');
    expect(list.statusCode, list.body).toBe(200);
    const items = (list.json() as { items: Json[] }).items;
    expect(items).toHaveLength(1);
    recordId = String(items[0]?.id);
    expect(items[0]).toMatchObject({ key: headId, currentVersion: 1, openConflicts: 1 });
    // The stale write did not overwrite the current values.
    expect((items[0] as { properties: Json }).properties.headName).toBe('王建国');

    const r = (await show(recordId)).json() as { versions: Json[]; flags: Json[]; submissions: Json[] };
    expect(r.versions.map((v) => [v.version, v.conflict, v.submissionId, v.baseVersion])).toEqual([
      [1, false, first, null],
      [2, true, offline, 0],
    ]);
    expect(r.flags.filter((f) => f.kind === 'conflict' && f.status === 'open')).toHaveLength(1);
    expect(r.submissions.map((s) => s.id).sort()).toEqual([first, offline].sort());
  });

  it('lists the conflict in the inbox and resolves it by taking the offline version', async () => {
    const inbox = (
      await a.call('pingchangReviewer', 'GET', '/api/registers/households/inbox?kind=conflict')
    ).json() as {
      items: Json[];
    };
    expect(inbox.items).toHaveLength(1);
    const flagId = String(inbox.items[0]?.id);
    const denied = await a.call(
      'pingchangStaff',
      'POST',
      `/api/registers/households/flags/${flagId}/resolve`,
      {
        choice: 'take',
      },
    );
    expect(denied.statusCode).toBe(403);
    const ok = await a.call(
      'pingchangReviewer',
      'POST',
      `/api/registers/households/flags/${flagId}/resolve`,
      {
        choice: 'take',
      },
    );
    expect(ok.statusCode, ok.body).toBe(200);
    const again = await a.call(
      'pingchangReviewer',
      'POST',
      `/api/registers/households/flags/${flagId}/resolve`,
      {
        choice: 'keep',
      },
    );
    expect(again.statusCode).toBe(409);
    expect((again.json() as { code: string }).code).toBe('NX_ERR_REGISTERS_FLAG_CLOSED');
    const r = (await show(recordId)).json() as { record: Json };
    expect(r.record).toMatchObject({ currentVersion: 3, openConflicts: 0 });
    expect((r.record.properties as Json).headName).toBe('王建國');
  });

  it('takes a follow-up filled against the current version without a conflict (prefill carries the version)', async () => {
    const pre = await a.call(
      'pingchangStaff',
      'GET',
      `/api/registers/households/records/${recordId}/prefill`,
    );
    expect(pre.statusCode, pre.body).toBe(200);
    const p = pre.json() as { baseVersion: number; data: Json };
    expect(p.baseVersion).toBe(3);
    expect(p.data).toMatchObject({ headIdNumber: headId, registerBaseVersion: 3, headName: '王建國' });
    const followUp: Json = { ...householdData(22), ...p.data, headName: '王建国' };
    // The members come from the record; ages from ID numbers are checked as of this survey's date.
    followUp.members = (followUp.members as Json[]).map((m) =>
      typeof m.idNumber === 'string'
        ? { ...m, age: Math.max(0, idcardAgeOn(m.idNumber, String(followUp.surveyDate))) }
        : m,
    );
    await submitSurvey(a, followUp);
    const r = (await show(recordId)).json() as { record: Json; versions: Json[] };
    expect(r.record).toMatchObject({ currentVersion: 4, openConflicts: 0 });
    expect(r.versions.at(-1)).toMatchObject({ version: 4, conflict: false, baseVersion: 3 });
  });

  it('flags a member listed in two active households, with both records, for the owning unit', async () => {
    const a1 = (await show(recordId)).json() as { versions: { members: string[] }[] };
    const shared = a1.versions.at(-1)?.members[0];
    expect(shared).toBeDefined();
    const other = householdWithMembers(23);
    const members = [...(other.members as Json[])];
    members[0] = {
      ...members[0],
      idNumber: shared,
      age: Math.max(0, idcardAgeOn(shared as string, String(other.surveyDate))),
    };
    await submitSurvey(a, { ...other, members }, { orgUnit: OTHER_VILLAGE });
    const inbox = (
      await a.call('pingchangReviewer', 'GET', '/api/registers/households/inbox?kind=duplicate')
    ).json() as {
      items: Json[];
    };
    expect(inbox.items).toHaveLength(1);
    expect(inbox.items[0]?.otherRecordId).toBe(recordId);
    expect(inbox.items[0]?.subject).toBe(shared);
    // The task belongs to the unit owning the record just written: the first village sees none.
    const villageInbox = (await a.call('villageStaff', 'GET', '/api/registers/households/inbox')).json() as {
      items: Json[];
    };
    expect(villageInbox.items).toHaveLength(0);
  });

  it('finds a record by ID number given in the body for a user with pii, refuses the look-up without pii (it would confirm guesses), masks the record without pii and hides it outside the subtree', async () => {
    const refused = await a.call('villageStaff', 'POST', '/api/registers/households/search', {
      idNumber: headId.toLowerCase(),
    });
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({
      code: 'NX_ERR_SUBMISSION_FILTER_MASKED',
      errors: [expect.objectContaining({ path: '/body/idNumber' })],
    });
    const hit = await a.call('pingchangStaff', 'POST', '/api/registers/households/search', {
      idNumber: headId.toLowerCase(),
    });
    expect(hit.statusCode, hit.body).toBe(200);
    const items = (hit.json() as { items: { record: Json; role: string }[] }).items;
    expect(items).toHaveLength(1);
    expect(items[0]?.role).toBe('key');
    expect(items[0]?.record.key).toBe(headId);
    expect(JSON.stringify((await show(recordId, 'villageStaff')).json())).not.toContain(headId.slice(4, 14));
    expect((await show(recordId, 'chengduStaff')).statusCode).toBe(404);
    const none = await a.call('chengduStaff', 'POST', '/api/registers/households/search', {
      idNumber: headId,
    });
    expect((none.json() as { items: unknown[] }).items).toHaveLength(0);
  });

  it('filters on typed columns and pages by id', async () => {
    for (const seed of [31, 32, 33]) await submitSurvey(a, householdData(seed));
    const query = (after: string | null) =>
      a.call('pingchangStaff', 'POST', '/api/registers/households/records/query', {
        filters: [{ property: 'householdSize', op: 'gte', value: 1 }],
        limit: 2,
        ...(after ? { after } : {}),
      });
    const ids: unknown[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const page = (await query(after)).json() as { items: Json[]; next: string | null };
      expect(page.items.length).toBeLessThanOrEqual(2);
      ids.push(...page.items.map((i) => i.id));
      after = page.next;
      pages++;
    } while (after !== null && pages < 10);
    expect(new Set(ids).size).toBe(ids.length);
    const all = (
      await a.call('pingchangStaff', 'GET', '/api/registers/households/records?limit=500')
    ).json() as {
      items: Json[];
    };
    expect(ids).toEqual(all.items.map((i) => i.id));
    expect(ids.length).toBe(5);
    const big = (
      await a.call('pingchangStaff', 'POST', '/api/registers/households/records/query', {
        filters: [{ property: 'householdSize', op: 'gte', value: 6 }],
      })
    ).json() as { items: Json[] };
    expect(big.items.map((i) => (i.properties as Json).householdSize).every((n) => Number(n) >= 6)).toBe(
      true,
    );
    expect(big.items.length).toBeGreaterThan(0);
    const bad = await a.call('pingchangStaff', 'POST', '/api/registers/households/records/query', {
      filters: [{ property: 'nope', op: 'eq', value: 1 }],
    });
    expect(bad.statusCode).toBe(404);
    const rural = (
      await a.call('pingchangStaff', 'POST', '/api/registers/households/records/query', {
        filters: [{ property: 'areaType', op: 'eq', value: 'nowhere' }],
      })
    ).json() as { items: Json[] };
    expect(rural.items).toHaveLength(0);
  });

  it('merges two records through the API: history kept, the dropped key leads to the kept record', async () => {
    const dup = (
      await a.call('pingchangReviewer', 'GET', '/api/registers/households/inbox?kind=duplicate')
    ).json() as {
      items: Json[];
    };
    const keep = String(dup.items[0]?.otherRecordId);
    const drop = String(dup.items[0]?.recordId);
    const r = await a.call('pingchangReviewer', 'POST', '/api/registers/households/merge', { keep, drop });
    expect(r.statusCode, r.body).toBe(200);
    const s = (await show(keep)).json() as { merged: string[]; versions: Json[]; record: Json };
    expect(s.merged).toEqual([drop]);
    expect(s.versions.some((v) => v.recordId === drop)).toBe(true);
    expect(s.versions.at(-1)?.source).toBe(`merge:${drop}`);
    const left = (
      await a.call('pingchangReviewer', 'GET', '/api/registers/households/inbox?kind=duplicate')
    ).json() as {
      items: Json[];
    };
    expect(left.items).toHaveLength(0);
    const twice = await a.call('pingchangReviewer', 'POST', '/api/registers/households/merge', {
      keep,
      drop,
    });
    expect((twice.json() as { code: string }).code).toBe('NX_ERR_REGISTERS_MERGE_INVALID');
  });

  it('transfers a record: the county moves it at once; the village only asks and the other village accepts', async () => {
    const byCounty = await a.call(
      'pingchangStaff',
      'POST',
      `/api/registers/households/records/${recordId}/transfer`,
      {
        to: OTHER_VILLAGE,
      },
    );
    expect(byCounty.statusCode, byCounty.body).toBe(200);
    expect(byCounty.json()).toEqual({ state: 'done' });
    expect(((await show(recordId)).json() as { record: Json }).record.ownerOrgCode).toBe(OTHER_VILLAGE);
    // Back by the township's village staff? The village user sees it no more (scope follows the owner).
    expect((await show(recordId, 'villageStaff')).statusCode).toBe(404);
    const back = await a.call(
      'pingchangStaff',
      'POST',
      `/api/registers/households/records/${recordId}/transfer`,
      {
        to: VILLAGE,
      },
    );
    expect(back.json()).toEqual({ state: 'done' });
    const ask = await a.call(
      'villageStaff',
      'POST',
      `/api/registers/households/records/${recordId}/transfer`,
      {
        to: OTHER_VILLAGE,
      },
    );
    const pending = ask.json() as { state: string; transferId: string };
    expect(pending.state).toBe('pending');
    expect(((await show(recordId)).json() as { record: Json }).record.ownerOrgCode).toBe(VILLAGE);
    const foreign = await a.call(
      'chengduStaff',
      'POST',
      `/api/registers/households/transfers/${pending.transferId}`,
      {
        accept: true,
      },
    );
    expect(foreign.statusCode).toBe(404);
    const accepted = await a.call(
      'pingchangStaff',
      'POST',
      `/api/registers/households/transfers/${pending.transferId}`,
      {
        accept: true,
      },
    );
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(((await show(recordId)).json() as { record: Json }).record.ownerOrgCode).toBe(OTHER_VILLAGE);
  });

  it('closes a record only with a declared reason', async () => {
    const missing = await a.call(
      'pingchangStaff',
      'POST',
      `/api/registers/households/records/${recordId}/status`,
      {
        status: 'closed',
      },
    );
    expect((missing.json() as { code: string }).code).toBe('NX_ERR_REGISTERS_BAD_STATUS');
    const ok = await a.call(
      'pingchangStaff',
      'POST',
      `/api/registers/households/records/${recordId}/status`,
      {
        status: 'closed',
        reason: 'death',
      },
    );
    expect(ok.statusCode, ok.body).toBe(200);
    expect(((await show(recordId)).json() as { record: Json }).record).toMatchObject({
      status: 'closed',
      statusReason: 'death',
    });
  });

  it('rebuilds the same register byte for byte from submissions and recorded actions', async () => {
    const live = await dumpRegister(t.db, households);
    const report = await rebuildRegister(t.db, households);
    expect(report.records).toBeGreaterThanOrEqual(5);
    expect(report.actions).toBeGreaterThanOrEqual(5);
    expect(await dumpRegister(t.db, households)).toBe(live);
  });
});
