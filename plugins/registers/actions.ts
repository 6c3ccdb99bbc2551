import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { type Database, getOrgUnit, type OrgUnit, writeAudit } from '../../engine/entry/server.ts';
import { act } from './events.ts';
import { registerError } from './load-register.ts';
import { recordInScope } from './read.ts';
import type { RegisterDefinition } from './register-schema.ts';
import { registersDb } from './tables.ts';
import type { Extracted } from './values.ts';

/**
 * The manual actions on a register, checked against the caller's subtree and then recorded
 * and applied in one transaction (see `events.ts`): resolving a conflict or duplicate, merging
 * two records, changing a status, transferring a record to another unit.
 */

export interface Actor {
  readonly username: string;
  readonly orgPath: string;
  /** When the action is stamped: the app's clock (tests and the demo move it); default the system clock. */
  readonly at?: string | undefined;
}

/** A real calendar day written YYYY-MM-DD. */
export function isCalendarDay(v: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) return false;
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
}

const inScope = (unit: Pick<OrgUnit, 'path'>, actor: Actor) => unit.path.startsWith(actor.orgPath);

export async function resolveFlag(
  db: Kysely<Database>,
  def: RegisterDefinition,
  actor: Actor,
  flagId: string,
  choice: 'keep' | 'take' | 'dismiss',
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const flag = await registersDb(trx)
      .selectFrom('register_flags')
      .selectAll()
      .where('id', '=', flagId)
      .where('register_id', '=', def.id)
      .executeTakeFirst();
    if (!flag?.org_path.startsWith(actor.orgPath)) throw registerError('NX_ERR_REGISTERS_NOT_FOUND');
    if (flag.status !== 'open') throw registerError('NX_ERR_REGISTERS_FLAG_CLOSED');
    const allowed = flag.kind === 'conflict' ? ['keep', 'take'] : ['dismiss'];
    if (!allowed.includes(choice)) {
      throw registerError('NX_ERR_REGISTERS_BAD_STATUS', {
        zh: `/choice：${flag.kind} 只能选 ${allowed.join('、')}`,
        en: `/choice: a ${flag.kind} takes ${allowed.join(' or ')}`,
      });
    }
    await act(trx, def, { kind: 'resolve', flagId, choice }, actor.username, flag.org_path, actor.at);
  });
}

export async function mergeRecords(
  db: Kysely<Database>,
  def: RegisterDefinition,
  actor: Actor,
  keep: string,
  drop: string,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const a = await recordInScope(trx, def, actor, keep);
    const b = await recordInScope(trx, def, actor, drop);
    if (a.id === b.id || a.merged_into !== null || b.merged_into !== null) {
      throw registerError('NX_ERR_REGISTERS_MERGE_INVALID');
    }
    await act(trx, def, { kind: 'merge', keep, drop }, actor.username, a.owner_org_path, actor.at);
  });
}

export async function setStatus(
  db: Kysely<Database>,
  def: RegisterDefinition,
  actor: Actor,
  recordId: string,
  status: string,
  reason: string | null,
  effective?: string,
): Promise<void> {
  if (effective !== undefined && !isCalendarDay(effective))
    throw registerError('NX_ERR_REGISTERS_BAD_DATE', { zh: effective, en: effective });
  const declared = def.statuses.find((s) => s.id === status);
  const reasons = declared?.reasons?.map((r) => r.value);
  if (!declared || (reasons && (reason === null || !reasons.includes(reason)))) {
    throw registerError('NX_ERR_REGISTERS_BAD_STATUS', {
      zh: `状态 ${status}${reasons ? `，原因须为：${reasons.join('、')}` : ''}（已声明：${def.statuses.map((s) => s.id).join('、')}）`,
      en: `status ${status}${reasons ? `, reason one of: ${reasons.join(', ')}` : ''} (declared: ${def.statuses.map((s) => s.id).join(', ')})`,
    });
  }
  await db.transaction().execute(async (trx) => {
    const r = await recordInScope(trx, def, actor, recordId);
    if (r.merged_into !== null) throw registerError('NX_ERR_REGISTERS_MERGE_INVALID');
    await act(
      trx,
      def,
      {
        kind: 'status',
        record: r.id,
        status,
        reason: reasons ? reason : null,
        ...(effective !== undefined ? { effective } : {}),
      },
      actor.username,
      r.owner_org_path,
      actor.at,
    );
  });
}

export type TransferOutcome =
  | { readonly state: 'done' }
  | { readonly state: 'pending'; readonly transferId: string };

/**
 * Moves a record to another village. A caller whose subtree holds both units (a higher level)
 * moves it at once; the owning unit alone only asks, and a user of the receiving unit accepts
 * (`decideTransfer`). Every step is audited.
 */
export async function requestTransfer(
  db: Kysely<Database>,
  def: RegisterDefinition,
  actor: Actor,
  recordId: string,
  toCode: string,
): Promise<TransferOutcome> {
  return db.transaction().execute(async (trx) => {
    const r = await recordInScope(trx, def, actor, recordId);
    const to = await getOrgUnit(trx, toCode);
    if (to?.level !== 'village' || to.code === r.owner_org_code || r.merged_into !== null) {
      throw registerError('NX_ERR_REGISTERS_TRANSFER_INVALID');
    }
    if (inScope(to, actor)) {
      await act(
        trx,
        def,
        { kind: 'transfer', record: r.id, toCode: to.code, toPath: to.path },
        actor.username,
        r.owner_org_path,
        actor.at,
      );
      return { state: 'done' } as const;
    }
    const id = randomUUID();
    await registersDb(trx)
      .insertInto('register_transfers')
      .values({
        id,
        register_id: def.id,
        record_id: r.id,
        from_org_code: r.owner_org_code,
        to_org_code: to.code,
        requested_by: actor.username,
        requested_at: new Date().toISOString(),
        status: 'pending',
        decided_by: null,
        decided_at: null,
      })
      .execute();
    await writeAudit(trx, {
      actor: actor.username,
      action: 'register.transfer-request',
      entityType: 'register-transfer',
      entityId: id,
      orgPath: r.owner_org_path,
      after: { register: def.id, record: r.id, from: r.owner_org_code, to: to.code },
    });
    return { state: 'pending', transferId: id } as const;
  });
}

/** The receiving unit (or a level above it) accepts or declines a pending transfer. */
export async function decideTransfer(
  db: Kysely<Database>,
  def: RegisterDefinition,
  actor: Actor,
  transferId: string,
  accept: boolean,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const rdb = registersDb(trx);
    const t = await rdb
      .selectFrom('register_transfers')
      .selectAll()
      .where('id', '=', transferId)
      .where('register_id', '=', def.id)
      .executeTakeFirst();
    const to = t ? await getOrgUnit(trx, t.to_org_code) : undefined;
    if (!t || !to || !inScope(to, actor)) throw registerError('NX_ERR_REGISTERS_NOT_FOUND');
    if (t.status !== 'pending') throw registerError('NX_ERR_REGISTERS_FLAG_CLOSED');
    const now = new Date().toISOString();
    const r = await rdb
      .updateTable('register_transfers')
      .set({ status: accept ? 'accepted' : 'declined', decided_by: actor.username, decided_at: now })
      .where('id', '=', t.id)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) throw registerError('NX_ERR_REGISTERS_FLAG_CLOSED');
    await writeAudit(trx, {
      actor: actor.username,
      action: accept ? 'register.transfer-accept' : 'register.transfer-decline',
      entityType: 'register-transfer',
      entityId: t.id,
      orgPath: to.path,
      after: { register: def.id, record: t.record_id, to: to.code },
    });
    if (accept) {
      await act(
        trx,
        def,
        { kind: 'transfer', record: t.record_id, toCode: to.code, toPath: to.path },
        actor.username,
        to.path,
        actor.at,
      );
    }
  });
}

/** Records from a list (CSV/XLSX rows already read): each row an import action, in one transaction. */
export async function importRecords(
  db: Kysely<Database>,
  def: RegisterDefinition,
  actor: Actor,
  rows: readonly (Extracted & { readonly orgCode: string })[],
): Promise<{ imported: number }> {
  return db.transaction().execute(async (trx) => {
    const units = new Map<string, OrgUnit>();
    for (const [i, row] of rows.entries()) {
      let unit = units.get(row.orgCode);
      if (!unit) {
        unit = await getOrgUnit(trx, row.orgCode);
        if (!unit || !inScope(unit, actor)) {
          throw registerError('NX_ERR_REGISTERS_NOT_FOUND', {
            zh: `第 ${i + 1} 行：单位 ${row.orgCode} 不存在或不在本辖区`,
            en: `row ${i + 1}: unit ${row.orgCode} does not exist or is outside your area`,
          });
        }
        units.set(row.orgCode, unit);
      }
      await act(
        trx,
        def,
        { kind: 'import', row: { ...row, orgCode: unit.code, orgPath: unit.path } },
        actor.username,
        unit.path,
        actor.at,
      );
    }
    return { imported: rows.length };
  });
}
