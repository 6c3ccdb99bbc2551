import type { Kysely } from 'kysely';
import type { Principal } from '../auth/principal.ts';
import { nowIso } from '../store/clock.ts';
import type { Database } from '../store/schema.ts';

// A type alias (not an interface) so that it fits `withTables`' record constraint.
type FormOwnerTables = {
  form_owners: { form_id: string; org_code: string; created_at: string };
};

const owners = (db: Kysely<Database>) => db.withTables<FormOwnerTables>();

/** Records that the caller's org unit owns a new form (the unit of the admin who created it). */
export async function setFormOwner(db: Kysely<Database>, formId: string, orgCode: string): Promise<void> {
  await owners(db)
    .insertInto('form_owners')
    .values({ form_id: formId, org_code: orgCode, created_at: nowIso() })
    .execute();
}

/**
 * The materialised path of the unit that owns a form, or undefined for a form without an owner
 * (loaded from the definition files): such a form belongs to the top of the tree.
 */
export async function formOwnerPath(db: Kysely<Database>, formId: string): Promise<string | undefined> {
  const row = await owners(db)
    .selectFrom('form_owners')
    .innerJoin('org_units', 'org_units.code', 'form_owners.org_code')
    .select('org_units.path')
    .where('form_owners.form_id', '=', formId)
    .executeTakeFirst();
  return row?.path;
}

/**
 * Whether the caller sits at the owning unit of a form or above it (on its path to the top);
 * for a form without an owner, whether the caller sits at a top unit (the province).
 */
export const ownsForm = (p: Principal, ownerPath: string | undefined): boolean =>
  ownerPath === undefined
    ? p.orgPath.split('/').filter(Boolean).length === 1
    : ownerPath.startsWith(p.orgPath);
