import type { Kysely } from 'kysely';
import type { HookPayloads } from '../../engine/entry/plugin.ts';
import { type Database, getOrgUnit } from '../../engine/entry/server.ts';
import { applyWrite, correctVersion } from './apply.ts';
import { submissionStamp } from './events.ts';
import type { FormBinding, RegisterDefinition } from './register-schema.ts';
import { registersDb } from './tables.ts';
import { extract } from './values.ts';
import { entersWhen } from './when.ts';

/**
 * The live write: a saved submission of a bound form, once its status is one the binding lists,
 * becomes a version of its record in the save's own transaction (so both commit or neither).
 * Saved again later, it corrects its version instead of adding one.
 */

export interface Binding {
  readonly def: RegisterDefinition;
  readonly binding: FormBinding;
}

export type WriteOutcome =
  | { readonly kind: 'skipped'; readonly reason: 'status' | 'key' | 'not-entered' }
  | { readonly kind: 'corrected'; readonly versionId: string }
  | {
      readonly kind: 'written';
      readonly recordId: string;
      readonly version: number;
      readonly conflict: boolean;
    };

export async function writeFromSubmission(
  db: Kysely<Database>,
  b: Binding,
  p: Pick<
    HookPayloads['afterSubmissionSave'],
    'submissionId' | 'orgCode' | 'status' | 'data' | 'action' | 'orgPath' | 'entry'
  >,
): Promise<WriteOutcome> {
  const enters = entersWhen(b.binding);
  if (!enters(p.status, p.data)) return { kind: 'skipped', reason: 'status' };
  const w = extract(b.def, b.binding, p.data);
  if (!w) return { kind: 'skipped', reason: 'key' };
  // A submission created by this save has no version yet.
  const prior =
    p.action === 'create'
      ? undefined
      : await registersDb(db)
          .selectFrom('register_versions')
          .select(['id', 'seq', 'at', 'actor'])
          .where('submission_id', '=', p.submissionId)
          .where('register_id', '=', b.def.id)
          .where('source', '=', 'submission')
          .executeTakeFirst();
  if (prior) {
    await correctVersion(db, b.def, prior.id, w, {
      seq: Number(prior.seq),
      at: prior.at,
      actor: prior.actor,
    });
    return { kind: 'corrected', versionId: prior.id };
  }
  // Created in a status the binding accepts (checked above): it entered with this save's own
  // audit entry, its only one. Otherwise it entered at the first of its entries that is.
  const stamp =
    p.action === 'create' && p.entry
      ? { seq: p.entry.id, at: p.entry.at, actor: p.entry.actor }
      : await submissionStamp(db, p.submissionId, (status) => enters(status, p.data));
  if (!stamp || !p.orgCode) return { kind: 'skipped', reason: 'not-entered' };
  // The path stored with the submission, as the rebuild reads it.
  const org =
    p.orgPath !== undefined ? { code: p.orgCode, path: p.orgPath } : await getOrgUnit(db, p.orgCode);
  if (!org) return { kind: 'skipped', reason: 'not-entered' };
  const r = await applyWrite(
    db,
    b.def,
    { ...w, source: 'submission', submissionId: p.submissionId, orgCode: org.code, orgPath: org.path },
    stamp,
  );
  return { kind: 'written', ...r };
}
