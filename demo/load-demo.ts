import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { createUser } from '../engine/auth/users.ts';
import { readJsonFile } from '../engine/definition/load-file.ts';
import { loadForm } from '../engine/definition/load-form.ts';
import { formVersions, publishDraft, saveDraft } from '../engine/forms/form-store.ts';
import { importOrgUnits, parseOrgUnitsCsv } from '../engine/org/import.ts';
import { countOrgUnits } from '../engine/org/org-units.ts';
import type { Database } from '../engine/store/schema.ts';
import { DEMO_PASSWORD, DEMO_USERS } from './users.ts';

const ROOT = join(import.meta.dirname, '..');

export interface DemoReport {
  orgUnits: number;
  users: string[];
  forms: string[];
  problems: string[];
}

/** True when the database holds no org units yet (a fresh install). */
export async function isEmpty(db: Kysely<Database>): Promise<boolean> {
  return (await countOrgUnits(db)) === 0;
}

/**
 * Loads the demo: Sichuan's divisions, one user per level and role, and every form in `forms/`
 * published. Safe to run twice: existing users and already-published forms are left alone.
 */
export async function loadDemo(db: Kysely<Database>, opts: { formsDir?: string } = {}): Promise<DemoReport> {
  const report: DemoReport = { orgUnits: 0, users: [], forms: [], problems: [] };
  const csv = parseOrgUnitsCsv(readFileSync(join(ROOT, 'demo', 'org-units.csv'), 'utf8'));
  const imported = await importOrgUnits(db, csv.rows);
  report.orgUnits = imported.imported;
  report.problems.push(
    ...[...csv.problems, ...imported.problems].map((p) => `org-units.csv:${p.line}: ${p.message.en}`),
  );

  for (const u of DEMO_USERS) {
    const exists = await db
      .selectFrom('users')
      .select('id')
      .where('username', '=', u.username)
      .executeTakeFirst();
    if (exists) continue;
    await createUser(db, {
      username: u.username,
      password: DEMO_PASSWORD,
      displayName: u.displayName,
      orgCode: u.org,
      roles: u.roles,
      permissions: u.permissions,
      actor: 'demo',
    });
    report.users.push(u.username);
  }

  const dir = opts.formsDir ?? join(ROOT, 'forms');
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    const path = join(dir, file);
    const json = readJsonFile(path);
    const form = json.ok ? loadForm(json.value, { file: path }) : json;
    if (!form.ok) {
      report.problems.push(
        ...form.problems.map((p) => `${p.file ?? path}:${p.pointer}: ${p.code} ${p.message.en}`),
      );
      continue;
    }
    const versions = await formVersions(db, form.value.id);
    if (versions.some((v) => v.status === 'published')) continue;
    await saveDraft(db, form.value, 'demo');
    await publishDraft(db, form.value.id, 'demo');
    report.forms.push(form.value.id);
  }
  return report;
}
