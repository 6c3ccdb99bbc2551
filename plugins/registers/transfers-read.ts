import type { Kysely } from 'kysely';
import { type Database, getOrgUnit, maskIdNumber, type OrgUnit } from '../../engine/entry/server.ts';
import { recordById } from './apply.ts';
import type { Reader } from './read.ts';
import type { RegisterDefinition } from './register-schema.ts';
import { registersDb } from './tables.ts';

/** A pending transfer as the units on either side see it. */
export interface TransferView {
  readonly id: string;
  readonly recordId: string;
  /** `in`: into the reader's area (the reader may accept or decline); `out`: asked by the reader's area. */
  readonly direction: 'in' | 'out';
  readonly fromOrgCode: string;
  readonly fromName: string;
  readonly toOrgCode: string;
  readonly toName: string;
  readonly requestedBy: string;
  readonly requestedAt: string;
  /**
   * The family as the receiving unit needs to recognise it: its name (`headName`, else the first
   * plain text property) and the key, always masked.
   */
  readonly name: string | null;
  readonly key: string;
}

const PENDING_MAX = 200;

/**
 * The transfers waiting for an answer that concern the reader's area: those into a unit of its
 * subtree (it answers them) and those out of it (it waits). The family is named with its key
 * masked even for `pii` callers: the receiving unit does not hold the record yet.
 */
export async function pendingTransfers(
  db: Kysely<Database>,
  def: RegisterDefinition,
  reader: Pick<Reader, 'orgPath'>,
): Promise<TransferView[]> {
  const rows = await registersDb(db)
    .selectFrom('register_transfers')
    .selectAll()
    .where('register_id', '=', def.id)
    .where('status', '=', 'pending')
    .orderBy('requested_at')
    .orderBy('id')
    .limit(PENDING_MAX)
    .execute();
  const units = new Map<string, OrgUnit | undefined>();
  const unit = async (code: string) => {
    if (!units.has(code)) units.set(code, await getOrgUnit(db, code));
    return units.get(code);
  };
  const nameProp =
    def.properties.find((p) => p.id === 'headName') ??
    def.properties.find((p) => p.type === 'text' && !p.pii);
  const out: TransferView[] = [];
  for (const t of rows) {
    const [from, to] = [await unit(t.from_org_code), await unit(t.to_org_code)];
    const incoming = to?.path.startsWith(reader.orgPath) ?? false;
    const outgoing = from?.path.startsWith(reader.orgPath) ?? false;
    if (!incoming && !outgoing) continue;
    const r = await recordById(db, def, t.record_id);
    const name = nameProp ? r?.[nameProp.id] : undefined;
    out.push({
      id: t.id,
      recordId: t.record_id,
      direction: incoming ? 'in' : 'out',
      fromOrgCode: t.from_org_code,
      fromName: from?.name ?? t.from_org_code,
      toOrgCode: t.to_org_code,
      toName: to?.name ?? t.to_org_code,
      requestedBy: t.requested_by,
      requestedAt: t.requested_at,
      name: typeof name === 'string' ? name : null,
      key: r ? (def.key.type === 'idcard' ? maskIdNumber(r.key) : r.key) : '',
    });
  }
  return out;
}
