import { type Kysely, sql } from 'kysely';
import type { OperationRegistry } from '../../engine/entry/runtime.ts';
import {
  type Clock,
  type Database,
  listSubtree,
  systemClock,
  writeAudit,
  writeTransaction,
} from '../../engine/entry/server.ts';
import { dayOf } from './clock.ts';
import { type CompiledRule, comparedValues, compileRules, fingerprintOf, ruleHolds } from './compare-row.ts';
import { joinReader } from './comparison-read.ts';
import type { ComparisonDefinition } from './comparison-schema.ts';
import { crosschecksError } from './errors.ts';
import { findingIds, findingWriter } from './finding-writes.ts';
import { addDays } from './import-delivery.ts';
import type { ListDefinition } from './list-schema.ts';
import { ensureListTable } from './list-table.ts';
import { listTableOf } from './load-list.ts';
import { readsOf } from './rule-reads.ts';
import { crosschecksDb } from './tables.ts';

/**
 * Runs a comparison over one delivery: the list's rows are joined in SQL with the register's
 * member index (`register_members`: heads and members of active records) and, for people no
 * longer in an active household, its key index (`register_keys`), then with the register's typed
 * table restricted to the delivery's unit — one keyset-paged query in ID-number order, only the
 * columns the rules read (`comparison-read.ts`). Each rule's condition is evaluated per row; the
 * findings are written in batches of multi-row upserts (`finding-writes.ts`), never one statement
 * per row. A finding is kept per (comparison, rule, ID number):
 *
 * - new → created, open, due `dueDays` after the run, owned by the household's unit (or the
 *   row's area when never surveyed, else the delivery's unit);
 * - open → its compared values and delivery follow the latest run;
 * - closed with the same compared values (same fingerprint) → stays closed;
 * - closed with other values → opened again (audited);
 * - open but no longer found by this delivery of the same unit → closed as `cleared` (audited).
 *
 * So the same delivery compared twice changes nothing. Rules that need the benefits table are
 * skipped, and listed, where it does not exist.
 */

export interface RunResult {
  comparison: string;
  deliveryId: string;
  rows: number;
  matched: number;
  created: number;
  updated: number;
  reopened: number;
  unchanged: number;
  cleared: number;
  /** Rules not run, with why (e.g. the benefits table does not exist). */
  skipped: { rule: string; reason: string }[];
}

export interface RunOptions {
  readonly actor: string;
  /** The day of the run (due dates count from it); default: the clock's day in China. */
  readonly today?: string;
  /** The clock stamping the findings (default: the system clock); routes pass the app's. */
  readonly clock?: Clock;
  readonly operations?: OperationRegistry;
  /** Rows read per page (default 5,000). */
  readonly pageSize?: number;
}

interface Existing {
  id: string;
  status: string;
  fingerprint: string;
  seen: boolean;
}

/** Property → SQL type of a register's typed table, as the registers plugin records it. */
async function registerColumns(db: Kysely<Database>, registerId: string): Promise<Record<string, string>> {
  const r = await sql<{
    columns: string;
  }>`select columns from register_schemas where register_id = ${registerId}`.execute(db);
  const text = r.rows[0]?.columns;
  if (!text) {
    throw crosschecksError('NX_ERR_CROSSCHECKS_NOT_FOUND', {
      'zh-CN': `登记簿“${registerId}”尚未建表（先启动服务或运行 nuanxin registers list ${registerId}）`,
      en: `Register "${registerId}" has no table yet (start the server or run nuanxin registers list ${registerId})`,
    });
  }
  const { $core: _core, ...cols } = JSON.parse(text) as Record<string, string>;
  return cols;
}

/** Whether a table exists (the benefits table is another plugin's, present or not). */
export async function tableExists(db: Kysely<Database>, name: string): Promise<boolean> {
  return (await db.introspection.getTables()).some((t) => t.name === name);
}

type Audit = Parameters<typeof writeAudit>[1] & unknown[];

/** The findings a run may meet: of the comparison's rules, owned under the delivery's unit. */
async function loadExisting(
  db: Kysely<Database>,
  comparison: string,
  ruleIds: readonly string[],
  scope: string,
): Promise<Map<string, Existing>> {
  const existing = new Map<string, Existing>();
  if (ruleIds.length === 0) return existing;
  const rows = await crosschecksDb(db)
    .selectFrom('crosscheck_findings')
    .select(['id', 'rule_id', 'subject', 'status', 'fingerprint'])
    .where('comparison_id', '=', comparison)
    .where('rule_id', 'in', ruleIds)
    .where('owner_org_path', 'like', scope)
    .execute();
  for (const f of rows)
    existing.set(`${f.rule_id}|${f.subject}`, {
      id: f.id,
      status: f.status,
      fingerprint: f.fingerprint,
      seen: false,
    });
  return existing;
}

export async function runComparison(
  db: Kysely<Database>,
  cmp: ComparisonDefinition,
  list: ListDefinition,
  deliveryId: string,
  opts: RunOptions,
): Promise<RunResult> {
  const delivery = await crosschecksDb(db)
    .selectFrom('crosscheck_deliveries')
    .selectAll()
    .where('id', '=', deliveryId)
    .executeTakeFirst();
  if (!delivery || delivery.list_id !== list.id) {
    throw crosschecksError('NX_ERR_CROSSCHECKS_NOT_FOUND', {
      'zh-CN': `找不到名单“${list.id}”的交付“${deliveryId}”`,
      en: `No delivery "${deliveryId}" of list "${list.id}"`,
    });
  }
  await ensureListTable(db, list);
  const now = (opts.clock ?? systemClock)();
  const today = opts.today ?? dayOf(now);
  const regColumns = await registerColumns(db, cmp.register);
  const hasBenefits = await tableExists(db, 'benefits');
  const skipped: RunResult['skipped'] = [];
  const rules: CompiledRule[] = compileRules(cmp, opts.operations).filter((r) => {
    if (r.rule.needs?.includes('benefits') && !hasBenefits) {
      skipped.push({ rule: r.rule.id, reason: 'no benefits table (the benefits plugin is not installed)' });
      return false;
    }
    return true;
  });
  const result: RunResult = {
    comparison: cmp.id,
    deliveryId,
    rows: 0,
    matched: 0,
    created: 0,
    updated: 0,
    reopened: 0,
    unchanged: 0,
    cleared: 0,
    skipped,
  };
  const scope = `${delivery.org_path}%`;
  const reads = readsOf(
    rules.map((r) => r.rule),
    opts.operations,
  );
  const reader = joinReader({
    db,
    list,
    listTable: listTableOf(list),
    register: cmp.register,
    regColumns,
    reads,
    rules: rules.map((r) => r.rule),
    withBenefits: hasBenefits && reads.benefits,
    deliveryId,
    scope,
  });
  // The units a row's area may name (checked at import): the owner of a finding about someone never surveyed.
  const areaPaths = new Map((await listSubtree(db, delivery.org_path)).map((u) => [u.code, u.path]));
  const existing = await loadExisting(
    db,
    cmp.id,
    rules.map((r) => r.rule.id),
    scope,
  );
  const nextId = findingIds(now);
  const due = new Map(rules.map((r) => [r.rule.id, addDays(today, r.rule.dueDays)]));
  const ctx = { today };
  const pageSize = opts.pageSize ?? 5000;
  await writeTransaction(db, async (trx) => {
    const writer = findingWriter(trx);
    const audits: Audit = [];
    let afterId = '';
    let after = 0;
    let lastRow = -1;
    for (;;) {
      const rows = await reader.page(trx, afterId, after, pageSize);
      if (rows.length === 0) break;
      for (const row of rows) {
        const rowNo = Number(row.row_no);
        afterId = String(row.id_number);
        after = rowNo;
        if (rowNo === lastRow) continue; // one ID number in two active records: the first match
        lastRow = rowNo;
        result.rows++;
        const matched = reader.matchedOn(row);
        if (matched) result.matched++;
        let facts: ReturnType<typeof reader.factsOf> | undefined;
        const subject = String(row.id_number);
        for (let i = 0; i < rules.length; i++) {
          const r = rules[i] as CompiledRule;
          if (!reader.mayHoldOn(row, i)) continue;
          facts ??= reader.factsOf(row, matched);
          if (!ruleHolds(r, facts, ctx)) continue;
          const compared = comparedValues(r.rule, facts);
          const fingerprint = fingerprintOf(compared);
          const key = `${r.rule.id}|${subject}`;
          const hit = existing.get(key);
          if (hit) hit.seen = true;
          if (hit?.fingerprint === fingerprint) {
            result.unchanged++;
            continue;
          }
          const owner = matched
            ? { code: String(row.x_owner_code), path: String(row.x_owner_path) }
            : typeof row.area_code === 'string' && areaPaths.has(row.area_code)
              ? { code: row.area_code, path: areaPaths.get(row.area_code) as string }
              : { code: delivery.org_code, path: delivery.org_path };
          const id = hit?.id ?? nextId();
          await writer.write({
            id,
            comparison_id: cmp.id,
            rule_id: r.rule.id,
            list_id: list.id,
            subject,
            record_id: matched ? String(row.x_record) : null,
            delivery_id: deliveryId,
            type: r.rule.type,
            severity: r.rule.severity,
            compared: JSON.stringify(compared),
            fingerprint,
            owner_org_code: owner.code,
            owner_org_path: owner.path,
            status: 'open',
            resolution: null,
            reason: null,
            due_date: due.get(r.rule.id) as string,
            created_at: now,
            updated_at: now,
            closed_at: null,
            closed_by: null,
          });
          if (!hit) {
            existing.set(key, { id, status: 'open', fingerprint, seen: true });
            result.created++;
            continue;
          }
          if (hit.status !== 'open') {
            audits.push({
              actor: opts.actor,
              action: 'crosschecks.finding.reopen',
              entityType: 'crosscheck_finding',
              entityId: hit.id,
              orgPath: owner.path,
              before: { status: hit.status },
              after: { status: 'open', delivery: deliveryId, compared },
            });
            result.reopened++;
          } else result.updated++;
          hit.status = 'open';
          hit.fingerprint = fingerprint;
        }
      }
    }
    await writer.flush();
    result.cleared = await clearGone(trx, existing, deliveryId, delivery.org_path, opts.actor, now, audits);
    audits.push({
      actor: opts.actor,
      action: 'crosschecks.comparison.run',
      entityType: 'crosscheck_delivery',
      entityId: deliveryId,
      orgPath: delivery.org_path,
      after: { ...result },
    });
    for (let i = 0; i < audits.length; i += 500) await writeAudit(trx, audits.slice(i, i + 500));
  });
  return result;
}

/** Closes, as `cleared`, the open findings this run no longer produced (audited); returns how many. */
async function clearGone(
  trx: Kysely<Database>,
  existing: ReadonlyMap<string, Existing>,
  deliveryId: string,
  orgPath: string,
  actor: string,
  now: string,
  audits: Audit,
): Promise<number> {
  const gone = [...existing.values()].filter((e) => e.status === 'open' && !e.seen).map((e) => e.id);
  for (let i = 0; i < gone.length; i += 500) {
    const ids = gone.slice(i, i + 500);
    await crosschecksDb(trx)
      .updateTable('crosscheck_findings')
      .set({ status: 'closed', resolution: 'cleared', closed_at: now, closed_by: actor, updated_at: now })
      .where('id', 'in', ids)
      .execute();
    for (const id of ids) {
      audits.push({
        actor,
        action: 'crosschecks.finding.clear',
        entityType: 'crosscheck_finding',
        entityId: id,
        orgPath,
        before: { status: 'open' },
        after: { status: 'closed', resolution: 'cleared', delivery: deliveryId },
      });
    }
  }
  return gone.length;
}
