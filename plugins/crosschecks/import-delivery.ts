import { createHash, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Text } from '../../engine/entry/plugin.ts';
import {
  type Clock,
  type Database,
  getOrgUnit,
  listSubtree,
  systemClock,
  unitInSubtree,
  writeAudit,
  writeTransaction,
} from '../../engine/entry/server.ts';
import { cellValue, headerNames } from './cell-value.ts';
import { dayOf } from './clock.ts';
import { crosschecksError } from './errors.ts';
import type { ListDefinition } from './list-schema.ts';
import { anyDb, colName, ensureListTable } from './list-table.ts';
import { listTableOf } from './load-list.ts';
import { crosschecksDb } from './tables.ts';

/** Who acts: the unit bounding what is read and written, and whether ID numbers show whole. */
export interface Actor {
  readonly username: string;
  readonly orgPath: string;
  readonly pii: boolean;
}

export type Cell = string | number | boolean | null;

/** One refused value, as bulk import reports it (row 1 is the header). */
export interface RowError {
  row: number;
  /** JSON pointer of the column (`/idNumber`), or '' for the whole row. */
  field: string;
  code: string;
  message: Text;
}

export interface DeliveryInput {
  /** The unit the list is for (a county …); in the actor's subtree. */
  readonly orgCode: string;
  readonly fileName?: string;
  /** The rows, header first; called twice (once to fingerprint the content, once to store it). */
  readonly rows: () => AsyncIterable<readonly Cell[]> | Iterable<readonly Cell[]>;
  readonly today?: string;
  /** Stamps the delivery and gives the day (default: the system clock); routes pass the app's. */
  readonly clock?: Clock;
}

export interface DeliveryResult {
  deliveryId: string;
  /** The same content was delivered for this unit before: nothing was stored again. */
  duplicate: boolean;
  rows: number;
  accepted: number;
  rejected: number;
  /** The first 1,000 refused values. */
  errors: RowError[];
  validUntil: string;
}

export const MAX_REPORTED_ERRORS = 1000;
const BATCH = 500;

export const addDays = (day: string, n: number): string => {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
};

const cellText = (c: Cell | undefined): string => (c === null || c === undefined ? '' : String(c).trim());

/** The content's fingerprint: header and cells as text, so a CSV and an XLSX of one list agree. */
async function contentHash(rows: DeliveryInput['rows']): Promise<string> {
  const h = createHash('sha256');
  for await (const r of rows()) {
    const cells = r.map(cellText);
    while (cells.length > 0 && cells.at(-1) === '') cells.pop();
    if (cells.length === 0) continue;
    h.update(JSON.stringify(cells));
    h.update('\n');
  }
  return h.digest('hex');
}

/**
 * Stores one delivery of a list for a unit: each row checked against the list's columns (a
 * refused row is reported with its row number, column and code, and not stored), the accepted
 * rows in the list's table, the delivery with its content hash and validity, one audit entry —
 * all in one transaction. The same content delivered again for the same unit is recognised and
 * stores nothing.
 */
export async function importDelivery(
  db: Kysely<Database>,
  def: ListDefinition,
  actor: Actor,
  input: DeliveryInput,
): Promise<DeliveryResult> {
  const unit = await getOrgUnit(db, input.orgCode);
  if (!unitInSubtree(unit, actor.orgPath)) {
    throw crosschecksError('NX_ERR_CROSSCHECKS_NOT_FOUND', {
      'zh-CN': `单位“${input.orgCode}”不存在或不在您的管辖范围内`,
      en: `Unit "${input.orgCode}" does not exist or is outside your unit`,
    });
  }
  const now = (input.clock ?? systemClock)();
  const today = input.today ?? dayOf(now);
  const hash = await contentHash(input.rows);
  const cdb = crosschecksDb(db);
  const same = await cdb
    .selectFrom('crosscheck_deliveries')
    .selectAll()
    .where('list_id', '=', def.id)
    .where('org_code', '=', unit.code)
    .where('content_hash', '=', hash)
    .executeTakeFirst();
  if (same) {
    return {
      deliveryId: same.id,
      duplicate: true,
      rows: same.rows + same.rejected,
      accepted: same.rows,
      rejected: same.rejected,
      errors: [],
      validUntil: same.valid_until,
    };
  }
  await ensureListTable(db, def);
  const inArea = def.areaColumn ? new Set((await listSubtree(db, unit.path)).map((u) => u.code)) : undefined;
  const id = `dl_${randomUUID()}`;
  const table = listTableOf(def);
  const errors: RowError[] = [];
  let rejected = 0;
  let accepted = 0;
  let line = 0;
  const validUntil = addDays(today, def.validDays);
  await writeTransaction(db, async (trx) => {
    const adb = anyDb(trx);
    let index: (number | undefined)[] | undefined;
    let batch: Record<string, unknown>[] = [];
    const flush = async () => {
      if (batch.length === 0) return;
      await adb.insertInto(table).values(batch).execute();
      batch = [];
    };
    for await (const r of input.rows()) {
      line++;
      if (!index) {
        const header = r.map(cellText);
        index = def.columns.map((c) => {
          const names = headerNames(c);
          const i = header.findIndex((h) => names.includes(h));
          return i >= 0 ? i : undefined;
        });
        const missing = def.columns.filter(
          (c, i) => index?.[i] === undefined && (c.required || c.id === def.idColumn),
        );
        if (missing.length > 0) {
          throw crosschecksError(
            'NX_ERR_CROSSCHECKS_BAD_FILE',
            {
              'zh-CN': `表头缺少必需的列：${missing.map((c) => c.label['zh-CN']).join('、')}`,
              en: `The header lacks required columns: ${missing.map((c) => c.id).join(', ')}`,
            },
            missing.map((c) => ({
              path: `/${c.id}`,
              code: 'NX_ERR_CROSSCHECKS_BAD_FILE',
              message: {
                'zh-CN': `第 1 行应有“${c.label['zh-CN']}”列（或 ${headerNames(c).join(' / ')}）`,
                en: `Row 1 needs a column "${c.id}" (or ${headerNames(c).join(' / ')})`,
              },
            })),
          );
        }
        continue;
      }
      if (r.every((c) => cellText(c) === '')) continue;
      const row: Record<string, unknown> = { delivery_id: id, row_no: line };
      let bad = false;
      def.columns.forEach((c, i) => {
        const at = index?.[i];
        const v = cellValue(c, at === undefined ? undefined : r[at], today);
        if (!v.ok) {
          bad = true;
          if (errors.length < MAX_REPORTED_ERRORS)
            errors.push({ row: line, field: `/${c.id}`, code: v.code, message: v.message });
          return;
        }
        row[colName(c.id)] = v.value;
      });
      const area = def.areaColumn ? (row[colName(def.areaColumn)] as string | null) : null;
      if (!bad && area && inArea && !inArea.has(area)) {
        bad = true;
        if (errors.length < MAX_REPORTED_ERRORS) {
          errors.push({
            row: line,
            field: `/${def.areaColumn}`,
            code: 'NX_ERR_CROSSCHECKS_BAD_ROW',
            message: {
              'zh-CN': `“${area}”不是本次名单所属单位（${unit.name}）下的单位`,
              en: `"${area}" is not a unit under the delivery's unit (${unit.code})`,
            },
          });
        }
      }
      if (bad) {
        rejected++;
        continue;
      }
      row.id_number = row[colName(def.idColumn)];
      row.area_code = area;
      batch.push(row);
      accepted++;
      if (batch.length >= BATCH) await flush();
    }
    await flush();
    if (!index) {
      throw crosschecksError('NX_ERR_CROSSCHECKS_BAD_FILE', {
        'zh-CN': '名单为空（没有表头行）',
        en: 'The list is empty (no header row)',
      });
    }
    await crosschecksDb(trx)
      .insertInto('crosscheck_deliveries')
      .values({
        id,
        list_id: def.id,
        list_version: def.version,
        content_hash: hash,
        org_code: unit.code,
        org_path: unit.path,
        file_name: input.fileName ?? null,
        rows: accepted,
        rejected,
        imported_by: actor.username,
        imported_at: now,
        valid_until: validUntil,
      })
      .execute();
    await writeAudit(trx, {
      actor: actor.username,
      action: 'crosschecks.list.import',
      entityType: 'crosscheck_delivery',
      entityId: id,
      orgPath: unit.path,
      after: {
        list: def.id,
        orgCode: unit.code,
        rows: accepted,
        rejected,
        contentHash: hash,
        fileName: input.fileName ?? null,
      },
    });
  });
  return {
    deliveryId: id,
    duplicate: false,
    rows: accepted + rejected,
    accepted,
    rejected,
    errors,
    validUntil,
  };
}
