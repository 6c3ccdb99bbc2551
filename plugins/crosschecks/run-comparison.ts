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
import { type JoinedRow, joinReader } from './comparison-read.ts';
import type { ComparisonDefinition } from './comparison-schema.ts';
import { crosschecksError } from './errors.ts';
import { findingId, findingIdPrefix, findingWriter } from './finding-writes.ts';
import { addDays } from './import-delivery.ts';
import type { ListDefinition } from './list-schema.ts';
import { ensureListTable } from './list-table.ts';
import { listTableOf } from './load-list.ts';
import { readsOf } from './rule-reads.ts';
import {
  countRows,
  dropRunRows,
  fillRunRows,
  goneFindings,
  type SqlRunContext,
  sqlRules,
  writeFindings,
} from './sql-rules.ts';
import { crosschecksDb } from './tables.ts';

/**
 * Runs a comparison over one delivery: the list's rows are joined in SQL with the register's
 * member index (`register_members`: heads and members of active records) and, for people no
 * longer in an active household, its key index (`register_keys`), then with the register's typed
 * table restricted to the delivery's unit — one keyset-paged query in ID-number order, only the
 * columns the rules read (`comparison-read.ts`). A rule whose condition and compared values
 * translate to SQL runs there, one `INSERT … SELECT … ON CONFLICT` over the join (`sql-rules.ts`);
 * the others are evaluated per row in JavaScript and their findings written in batches of
 * multi-row upserts (`finding-writes.ts`), never one statement per row. Both give the same
 * findings. A finding is kept per (comparison, rule, ID number):
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
  /** Whether rules that translate to SQL run there (default true; false runs every rule in JavaScript). */
  readonly sqlRules?: boolean;
}

interface Existing {
  id: string;
  status: string;
  fingerprint: string;
  /** Owned under the delivery's unit (a finding owned elsewhere is taken over when produced). */
  inScope: boolean;
  seen: boolean;
  /** Its status before the run; null when this run created it. */
  before: string | null;
  /** Written by this run, with these values (the last row's), owned under this path. */
  written?: { compared: Record<string, unknown>; ownerPath: string };
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

/**
 * The findings a run may meet: of the comparison's rules, for the people on the delivery. Those
 * owned under the delivery's unit may be cleared; one owned elsewhere is taken over when the run
 * produces it, as in SQL (`sql-rules.ts`).
 */
async function loadExisting(
  db: Kysely<Database>,
  comparison: string,
  ruleIds: readonly string[],
  orgPath: string,
  subjects: { listTable: string; deliveryId: string },
): Promise<Map<string, Existing>> {
  const existing = new Map<string, Existing>();
  if (ruleIds.length === 0) return existing;
  const rows = await crosschecksDb(db)
    .selectFrom('crosscheck_findings')
    .select(['id', 'rule_id', 'subject', 'status', 'fingerprint', 'owner_org_path'])
    .where('comparison_id', '=', comparison)
    .where('rule_id', 'in', ruleIds)
    .where((eb) =>
      eb.or([
        eb('owner_org_path', 'like', `${orgPath}%`),
        eb.exists(
          sql`(select 1 from ${sql.table(subjects.listTable)} l where l.delivery_id = ${subjects.deliveryId}
            and l.id_number = crosscheck_findings.subject)`,
        ),
      ]),
    )
    .execute();
  for (const f of rows)
    existing.set(`${f.rule_id}|${f.subject}`, {
      id: f.id,
      status: f.status,
      fingerprint: f.fingerprint,
      inScope: f.owner_org_path.startsWith(orgPath),
      seen: false,
      before: f.status,
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
  const unit = { code: delivery.org_code, path: delivery.org_path };
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
  const ruleDefs = rules.map((r) => r.rule);
  const reader = joinReader({
    db,
    list,
    listTable: listTableOf(list),
    register: cmp.register,
    regColumns,
    reads,
    rules: ruleDefs,
    withBenefits: hasBenefits && reads.benefits,
    deliveryId,
    scope,
  });
  const inSql = opts.sqlRules === false ? [] : sqlRules(reader, ruleDefs);
  const sqlIndex = new Set(inSql.map((r) => r.index));
  const inJs = rules.map((r, i) => ({ r, i })).filter(({ i }) => !sqlIndex.has(i));
  // The units a row's area may name (checked at import): the owner of a finding about someone never surveyed.
  const areaPaths = new Map((await listSubtree(db, delivery.org_path)).map((u) => [u.code, u.path]));
  const existing = await loadExisting(
    db,
    cmp.id,
    inJs.map(({ r }) => r.rule.id),
    delivery.org_path,
    { listTable: listTableOf(list), deliveryId },
  );
  const idPrefix = findingIdPrefix(now);
  const due = new Map(rules.map((r) => [r.rule.id, addDays(today, r.rule.dueDays)]));
  const ctx = { today };
  const pageSize = opts.pageSize ?? 5000;
  const sqlCtx: SqlRunContext = {
    reader,
    comparison: cmp.id,
    list: list.id,
    deliveryId,
    delivery: { orgCode: delivery.org_code, orgPath: delivery.org_path },
    scope,
    idPrefix,
    now,
  };
  await writeTransaction(db, async (trx) => {
    const audits: Audit = [];
    const gone: string[] = [];
    if (inSql.length > 0) {
      await fillRunRows(trx, sqlCtx, inSql);
      const counts = await countRows(trx, sqlCtx, inSql);
      result.rows = counts.rows;
      result.matched = counts.matched;
      for (const [n, r] of inSql.entries()) {
        gone.push(...(await goneFindings(trx, sqlCtx, r)));
        const w = await writeFindings(trx, sqlCtx, r, due.get(r.rule.id) as string);
        for (const f of w.reopened) {
          audits.push({
            actor: opts.actor,
            action: 'crosschecks.finding.reopen',
            entityType: 'crosscheck_finding',
            entityId: f.id,
            orgPath: f.owner_org_path,
            before: { status: 'closed' },
            after: { status: 'open', delivery: deliveryId, compared: JSON.parse(f.compared) },
          });
        }
        result.created += w.created;
        result.updated += w.updated;
        result.reopened += w.reopened.length;
        result.unchanged += (counts.holding[n] ?? 0) - w.created - w.updated - w.reopened.length;
      }
      await dropRunRows(trx);
    }
    if (inJs.length > 0) {
      await runInJs(trx);
      for (const e of existing.values()) if (e.inScope && e.status === 'open' && !e.seen) gone.push(e.id);
    }
    result.cleared = await clearGone(trx, gone, deliveryId, delivery.org_path, opts.actor, now, audits);
    audits.push({
      actor: opts.actor,
      action: 'crosschecks.comparison.run',
      entityType: 'crosscheck_delivery',
      entityId: deliveryId,
      orgPath: delivery.org_path,
      after: { ...result },
    });
    for (let i = 0; i < audits.length; i += 500) await writeAudit(trx, audits.slice(i, i + 500));

    /** The rules that run in JavaScript: every row where one may hold, read in pages. */
    async function runInJs(trx: Kysely<Database>): Promise<void> {
      const count = inSql.length === 0;
      const writer = findingWriter(trx);
      let holding = 0;
      // A person's rows come one after another: per rule, only the last row where it holds
      // makes the finding (as in the SQL rules), so a person's pending rows wait for the next person.
      type Pending = { row: JoinedRow; matched: boolean; compared: Record<string, unknown> };
      const pending = new Map<number, Pending>();
      let current = '';
      const settle = async () => {
        for (const [i, p] of pending) {
          const r = rules[i] as CompiledRule;
          const { row, matched, compared } = p;
          const fingerprint = fingerprintOf(compared);
          const key = `${r.rule.id}|${current}`;
          const hit = existing.get(key);
          if (hit) hit.seen = true;
          if (hit?.inScope && hit.fingerprint === fingerprint) continue;
          const owner = matched
            ? { code: String(row.x_owner_code), path: String(row.x_owner_path) }
            : typeof row.area_code === 'string' && areaPaths.has(row.area_code)
              ? { code: row.area_code, path: areaPaths.get(row.area_code) as string }
              : unit;
          const id = hit?.id ?? findingId(idPrefix, i, Number(row.row_no));
          await writer.write({
            id,
            comparison_id: cmp.id,
            rule_id: r.rule.id,
            list_id: list.id,
            subject: current,
            record_id: matched ? String(row.x_record) : null,
            delivery_id: deliveryId,
            type: r.rule.type,
            severity: r.rule.severity,
            compared: fingerprint,
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
          const written = { compared, ownerPath: owner.path };
          if (hit) Object.assign(hit, { status: 'open', fingerprint, inScope: true, written });
          else
            existing.set(key, {
              id,
              status: 'open',
              fingerprint,
              inScope: true,
              seen: true,
              before: null,
              written,
            });
        }
        pending.clear();
      };
      let afterId = '';
      let after = 0;
      for (;;) {
        const rows = await reader.page(trx, afterId, after, pageSize);
        if (rows.length === 0) break;
        for (const row of rows) {
          const subject = String(row.id_number);
          afterId = subject;
          after = Number(row.row_no);
          if (subject !== current) {
            await settle();
            current = subject;
          }
          const matched = reader.matchedOn(row);
          if (count) {
            result.rows++;
            if (matched) result.matched++;
          }
          let facts: ReturnType<typeof reader.factsOf> | undefined;
          for (const { r, i } of inJs) {
            if (!reader.mayHoldOn(row, i)) continue;
            facts ??= reader.factsOf(row, matched);
            if (!ruleHolds(r, facts, ctx)) continue;
            holding++;
            pending.set(i, { row, matched, compared: comparedValues(r.rule, facts) });
          }
        }
      }
      await settle();
      await writer.flush();
      // Counted per finding written (a person listed twice is written once, with the last row's
      // values); every other row where a rule held is unchanged, as in the SQL rules.
      let written = 0;
      for (const e of existing.values()) {
        if (!e.written) continue;
        written++;
        if (e.before === null) result.created++;
        else if (e.before !== 'open') {
          audits.push({
            actor: opts.actor,
            action: 'crosschecks.finding.reopen',
            entityType: 'crosscheck_finding',
            entityId: e.id,
            orgPath: e.written.ownerPath,
            before: { status: e.before },
            after: { status: 'open', delivery: deliveryId, compared: e.written.compared },
          });
          result.reopened++;
        } else result.updated++;
      }
      result.unchanged += holding - written;
    }
  });
  return result;
}

/** Closes, as `cleared`, the open findings this run no longer produced (audited); returns how many. */
async function clearGone(
  trx: Kysely<Database>,
  gone: readonly string[],
  deliveryId: string,
  orgPath: string,
  actor: string,
  now: string,
  audits: Audit,
): Promise<number> {
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
