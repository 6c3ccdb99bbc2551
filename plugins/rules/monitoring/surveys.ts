import type { Kysely } from 'kysely';
import { type Database, getOrgUnit, hasTable } from '../../../engine/entry/server.ts';
import { decisionInForce } from '../store/decisions.ts';
import { addChange, changeKinds, labelOf, summaryOf } from './changes.ts';
import { monitoringDb } from './tables.ts';

/**
 * Re-surveys: a new survey of a family already in the register is decided when it is saved
 * (`evaluateOnSubmit`, in the save's transaction). The monitoring run compares that decision
 * with the one of the family's previous survey and, where the family joined or left the roster,
 * became a 低保 candidate or changed type or entitlement, adds an item for its village. It reads
 * the register's versions after the last one it saw (`monitoring_state`), so each survey is
 * looked at once; a database without the register has no re-surveys to compare.
 */

/** The registers plugin's version rows, as far as they are read here. */
type VersionRow = {
  id: string;
  register_id: string;
  record_id: string;
  version: number;
  seq: number;
  source: string;
  submission_id: string | null;
  conflict: number;
  properties: string;
  at: string;
};
type VersionTables = { register_versions: VersionRow };

const LATEST = '9999-12-31';

export async function compareResurveys(
  db: Kysely<Database>,
  opts: { readonly register: string; readonly rulesetId: string; readonly now: Date },
): Promise<number> {
  if (!(await hasTable(db, 'register_versions'))) return 0;
  const mdb = monitoringDb(db);
  const key = `resurveys-seq:${opts.register}`;
  const state = await mdb
    .selectFrom('monitoring_state')
    .selectAll()
    .where('name', 'in', [key, 'standards-since'])
    .execute();
  const since = state.find((s) => s.name === 'standards-since')?.value ?? '';
  let seen = Number(state.find((s) => s.name === key)?.value ?? 0);
  const vdb = db.withTables<VersionTables>();
  let added = 0;
  for (;;) {
    const rows = await vdb
      .selectFrom('register_versions')
      .selectAll()
      .where('register_id', '=', opts.register)
      .where('source', '=', 'submission')
      .where('conflict', '=', 0)
      .where('version', '>', 1)
      .where('seq', '>', seen)
      .orderBy('seq')
      .limit(500)
      .execute();
    if (rows.length === 0) break;
    for (const r of rows) {
      seen = Math.max(seen, Number(r.seq));
      if (r.at < since || !r.submission_id) continue;
      const prev = await vdb
        .selectFrom('register_versions')
        .select(['submission_id'])
        .where('record_id', '=', r.record_id)
        .where('version', '<', r.version)
        .where('conflict', '=', 0)
        .where('submission_id', 'is not', null)
        .orderBy('version', 'desc')
        .limit(1)
        .executeTakeFirst();
      if (!prev?.submission_id || prev.submission_id === r.submission_id) continue;
      const now = await decisionInForce(db, {
        rulesetId: opts.rulesetId,
        subjectId: r.submission_id,
        asOf: LATEST,
      });
      if (!now) continue;
      const was = await decisionInForce(db, {
        rulesetId: opts.rulesetId,
        subjectId: prev.submission_id,
        asOf: LATEST,
      });
      const before = summaryOf(was?.outputs);
      const after = summaryOf(now.outputs);
      const kinds = changeKinds(before, after);
      if (kinds.length === 0) continue;
      const unit = await getOrgUnit(db, now.orgCode);
      if (!unit) continue;
      const props = JSON.parse(r.properties) as Record<string, unknown>;
      const head = /^[a-z][a-z0-9_]{0,23}$/.test(opts.register)
        ? await db
            .withTables<Record<string, { id: string; key: string }>>()
            .selectFrom(`register_${opts.register}`)
            .select('key')
            .where('id', '=', r.record_id)
            .executeTakeFirst()
        : undefined;
      if (
        await addChange(
          db,
          {
            sourceKey: `survey:${r.id}`,
            jobId: null,
            rulesetId: opts.rulesetId,
            submissionId: r.submission_id,
            orgCode: unit.code,
            orgPath: unit.path,
            kinds,
            before,
            after,
            cause: {
              type: 'survey',
              submissionId: r.submission_id,
              previousSubmissionId: prev.submission_id,
              recordId: r.record_id,
              version: Number(r.version),
              decidedAsOf: now.asOf,
            },
            decisionId: now.id,
            label: labelOf({ ...props, ...(head ? { headIdNumber: head.key } : {}) }),
          },
          opts.now.toISOString(),
        )
      )
        added++;
    }
  }
  const upd = await mdb
    .updateTable('monitoring_state')
    .set({ value: String(seen) })
    .where('name', '=', key)
    .executeTakeFirst();
  if (Number(upd.numUpdatedRows) === 0)
    await mdb
      .insertInto('monitoring_state')
      .values({ name: key, value: String(seen) })
      .onConflict((oc) => oc.column('name').doUpdateSet({ value: String(seen) }))
      .execute();
  return added;
}
