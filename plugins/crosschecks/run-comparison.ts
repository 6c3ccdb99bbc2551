import { randomUUID } from 'node:crypto';
import { type Kysely, type RawBuilder, sql } from 'kysely';
import { type OperationRegistry, todayInChina } from '../../engine/entry/runtime.ts';
import { type Database, listSubtree, writeAudit, writeTransaction } from '../../engine/entry/server.ts';
import {
  type CompiledRule,
  comparedValues,
  compileRules,
  fingerprintOf,
  type RowFacts,
  ruleHolds,
} from './compare-row.ts';
import type { ComparisonDefinition } from './comparison-schema.ts';
import { crosschecksError } from './errors.ts';
import { addDays } from './import-delivery.ts';
import type { ListDefinition } from './list-schema.ts';
import { colName, ensureListTable } from './list-table.ts';
import { listTableOf } from './load-list.ts';
import { crosschecksDb, type FindingTable } from './tables.ts';

/**
 * Runs a comparison over one delivery: the list's rows are joined in SQL with the register's
 * member index (`register_members`: heads and members of active records) and, for people no
 * longer in an active household, its key index (`register_keys`), then with the register's typed
 * table restricted to the delivery's unit — one paged query, columns not JSON. Each rule's
 * condition is evaluated per row; a finding is kept per (comparison, rule, ID number):
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
  readonly today?: string;
  readonly operations?: OperationRegistry;
  /** Rows read per page (default 2,000). */
  readonly pageSize?: number;
}

type Row = Record<string, unknown>;

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

const asBool = (v: unknown): boolean | null => (v === null || v === undefined ? null : Number(v) === 1);
const asNum = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

export async function runComparison(
  db: Kysely<Database>,
  cmp: ComparisonDefinition,
  list: ListDefinition,
  deliveryId: string,
  opts: RunOptions,
): Promise<RunResult> {
  const cdb = crosschecksDb(db);
  const delivery = await cdb
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
  const today = opts.today ?? todayInChina();
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
  const props = Object.keys(regColumns);
  const regTable = `register_${cmp.register}`;
  const listTable = listTableOf(list);
  const scope = `${delivery.org_path}%`;
  // The units a row's area may name (checked at import): the owner of a finding about someone never surveyed.
  const areaPaths = new Map((await listSubtree(db, delivery.org_path)).map((u) => [u.code, u.path]));
  const benefits: RawBuilder<unknown> = hasBenefits
    ? sql`(select count(*) from benefits b where b.household_key = r.key and b.status = 'active')`
    : sql`null`;
  const select = sql.join([
    sql`l.row_no, l.id_number, l.area_code`,
    ...list.columns.map((c) => sql`l.${sql.id(colName(c.id))}`),
    sql`r.id as x_record, r.key as x_key, r.status as x_status, r.status_reason as x_status_reason`,
    sql`r.owner_org_code as x_owner_code, r.owner_org_path as x_owner_path`,
    sql`case when m.record_id is not null then m.role when k.record_id is not null then 'head' end as x_role`,
    sql`${benefits} as x_benefits`,
    ...props.map((p) => sql`r.${sql.id(p)} as ${sql.id(`r_${p}`)}`),
  ]);
  const page = (exec: Kysely<Database>, after: number, limit: number) =>
    sql<Row>`select ${select}
      from ${sql.table(listTable)} l
      left join register_members m on m.register_id = ${cmp.register} and m.id_number = l.id_number
      left join register_keys k on m.record_id is null and k.register_id = ${cmp.register} and k.key = l.id_number
      left join ${sql.table(regTable)} r on r.id = coalesce(m.record_id, k.record_id) and r.owner_org_path like ${scope}
      where l.delivery_id = ${deliveryId} and l.row_no > ${after}
      order by l.row_no
      limit ${limit}`.execute(exec);

  const ruleIds = rules.map((r) => r.rule.id);
  const existing = new Map<string, Existing>();
  if (ruleIds.length > 0) {
    const rows = await cdb
      .selectFrom('crosscheck_findings')
      .select(['id', 'rule_id', 'subject', 'status', 'fingerprint'])
      .where('comparison_id', '=', cmp.id)
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
  }

  const now = new Date().toISOString();
  const ctx = { today };
  const pageSize = opts.pageSize ?? 2000;
  await writeTransaction(db, async (trx) => {
    const tdb = crosschecksDb(trx);
    let inserts: FindingTable[] = [];
    const flush = async () => {
      if (inserts.length === 0) return;
      await tdb.insertInto('crosscheck_findings').values(inserts).execute();
      inserts = [];
    };
    const audits: Parameters<typeof writeAudit>[1] & unknown[] = [];
    let after = 0;
    let lastRow = -1;
    for (;;) {
      const { rows } = await page(trx, after, pageSize);
      if (rows.length === 0) break;
      for (const row of rows) {
        const rowNo = Number(row.row_no);
        after = rowNo;
        if (rowNo === lastRow) continue; // one ID number in two active records: the first match
        lastRow = rowNo;
        result.rows++;
        const matched = row.x_record !== null && row.x_record !== undefined;
        if (matched) result.matched++;
        const facts = factsOf(row, list, regColumns, matched);
        const subject = String(row.id_number);
        for (const r of rules) {
          if (!ruleHolds(r, facts, ctx)) continue;
          const compared = comparedValues(r.rule, facts);
          const fingerprint = fingerprintOf(compared);
          const key = `${r.rule.id}|${subject}`;
          const owner = matched
            ? { code: String(row.x_owner_code), path: String(row.x_owner_path) }
            : typeof row.area_code === 'string' && areaPaths.has(row.area_code)
              ? { code: row.area_code, path: areaPaths.get(row.area_code) as string }
              : { code: delivery.org_code, path: delivery.org_path };
          const hit = existing.get(key);
          if (!hit) {
            const id = `fd_${randomUUID()}`;
            inserts.push({
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
              due_date: addDays(today, r.rule.dueDays),
              created_at: now,
              updated_at: now,
              closed_at: null,
              closed_by: null,
            });
            existing.set(key, { id, status: 'open', fingerprint, seen: true });
            result.created++;
            if (inserts.length >= 200) await flush();
            continue;
          }
          hit.seen = true;
          if (hit.fingerprint === fingerprint) {
            result.unchanged++;
            continue;
          }
          const reopen = hit.status !== 'open';
          await tdb
            .updateTable('crosscheck_findings')
            .set({
              compared: JSON.stringify(compared),
              fingerprint,
              delivery_id: deliveryId,
              record_id: matched ? String(row.x_record) : null,
              owner_org_code: owner.code,
              owner_org_path: owner.path,
              updated_at: now,
              ...(reopen
                ? {
                    status: 'open',
                    resolution: null,
                    reason: null,
                    closed_at: null,
                    closed_by: null,
                    due_date: addDays(today, r.rule.dueDays),
                  }
                : {}),
            })
            .where('id', '=', hit.id)
            .execute();
          if (reopen) {
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
    await flush();
    const gone = [...existing.values()].filter((e) => e.status === 'open' && !e.seen).map((e) => e.id);
    for (let i = 0; i < gone.length; i += 500) {
      const ids = gone.slice(i, i + 500);
      await tdb
        .updateTable('crosscheck_findings')
        .set({
          status: 'closed',
          resolution: 'cleared',
          closed_at: now,
          closed_by: opts.actor,
          updated_at: now,
        })
        .where('id', 'in', ids)
        .execute();
      for (const id of ids) {
        audits.push({
          actor: opts.actor,
          action: 'crosschecks.finding.clear',
          entityType: 'crosscheck_finding',
          entityId: id,
          orgPath: delivery.org_path,
          before: { status: 'open' },
          after: { status: 'closed', resolution: 'cleared', delivery: deliveryId },
        });
      }
    }
    result.cleared = gone.length;
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

/** A joined row as a rule reads it: typed list values, typed register values, the match. */
function factsOf(
  row: Row,
  list: ListDefinition,
  regColumns: Record<string, string>,
  matched: boolean,
): RowFacts {
  const l: Record<string, unknown> = {};
  for (const c of list.columns) {
    const v = row[colName(c.id)];
    l[c.id] =
      c.type === 'boolean'
        ? asBool(v)
        : c.type === 'integer' || c.type === 'number' || c.type === 'money'
          ? asNum(v)
          : (v ?? null);
  }
  const reg: Record<string, unknown> = {};
  if (matched) {
    for (const [p, type] of Object.entries(regColumns)) {
      const v = row[`r_${p}`];
      reg[p] =
        type === 'boolean'
          ? asBool(v)
          : type === 'integer' || type === 'number' || type === 'money'
            ? asNum(v)
            : (v ?? null);
    }
    reg.status = row.x_status ?? null;
    reg.statusReason = row.x_status_reason ?? null;
    reg.key = row.x_key ?? null;
    reg.ownerOrgCode = row.x_owner_code ?? null;
  }
  return {
    matched,
    match: { role: matched ? ((row.x_role as string | null) ?? null) : null },
    list: l,
    register: reg,
    benefits: {
      active: row.x_benefits === null || row.x_benefits === undefined ? null : Number(row.x_benefits),
    },
  };
}
