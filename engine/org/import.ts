import type { Kysely } from 'kysely';
import type { Text } from '../i18n.ts';
import { text } from '../i18n.ts';
import type { Database } from '../store/schema.ts';
import { parseCsv } from './csv.ts';
import { childPath, isOrgLevel, type OrgLevel } from './levels.ts';

export interface OrgUnitRow {
  code: string;
  name: string;
  parent: string | null;
  level: OrgLevel;
}

export interface OrgImportProblem {
  line: number;
  message: Text;
}

const CODE = /^\d{6}(\d{3}(\d{3})?)?$/;

/** Reads `code,name,parent,level` rows (a header line is required); problems carry the line number. */
export function parseOrgUnitsCsv(csv: string): { rows: OrgUnitRow[]; problems: OrgImportProblem[] } {
  const [header, ...lines] = parseCsv(csv);
  const problems: OrgImportProblem[] = [];
  const cols = (header ?? []).map((h) => h.trim().toLowerCase());
  const at = (name: string) => cols.indexOf(name);
  const [ci, ni, pi, li] = [at('code'), at('name'), at('parent'), at('level')];
  if (ci < 0 || ni < 0 || pi < 0 || li < 0) {
    return {
      rows: [],
      problems: [
        {
          line: 1,
          message: text('表头必须为 code,name,parent,level', 'header must be code,name,parent,level'),
        },
      ],
    };
  }
  const rows: OrgUnitRow[] = [];
  lines.forEach((cells, i) => {
    const line = i + 2;
    const code = (cells[ci] ?? '').trim();
    const name = (cells[ni] ?? '').trim();
    const parent = (cells[pi] ?? '').trim() || null;
    const level = (cells[li] ?? '').trim();
    if (!CODE.test(code)) {
      problems.push({ line, message: text(`区划代码无效：${code}`, `invalid division code: ${code}`) });
    } else if (!name) {
      problems.push({ line, message: text('名称为空', 'name is empty') });
    } else if (!isOrgLevel(level)) {
      problems.push({ line, message: text(`层级无效：${level}`, `invalid level: ${level}`) });
    } else {
      rows.push({ code, name, parent, level });
    }
  });
  return { rows, problems };
}

/**
 * Inserts or updates org units, parents before children (the file may list them in any
 * order), computing each materialised path from the parent's. One transaction: all or nothing.
 */
export async function importOrgUnits(
  db: Kysely<Database>,
  rows: readonly OrgUnitRow[],
): Promise<{ imported: number; problems: OrgImportProblem[] }> {
  const byCode = new Map(rows.map((r) => [r.code, r]));
  const problems: OrgImportProblem[] = [];
  let imported = 0;
  await db.transaction().execute(async (trx) => {
    const paths = new Map<string, string>();
    const pathOf = async (code: string, seen: Set<string>): Promise<string | null> => {
      const known = paths.get(code);
      if (known) return known;
      const row = byCode.get(code);
      if (!row) {
        const existing = await trx
          .selectFrom('org_units')
          .select('path')
          .where('code', '=', code)
          .executeTakeFirst();
        return existing?.path ?? null;
      }
      if (seen.has(code)) return null; // a cycle in the file
      seen.add(code);
      const parentPath = row.parent ? await pathOf(row.parent, seen) : null;
      if (row.parent && !parentPath) return null;
      const path = childPath(parentPath, row.code);
      paths.set(code, path);
      return path;
    };
    for (const row of rows) {
      const path = await pathOf(row.code, new Set());
      if (!path) {
        problems.push({
          line: 0,
          message: text(
            `${row.code} 的上级 ${row.parent} 不存在`,
            `parent ${row.parent} of ${row.code} not found`,
          ),
        });
      }
    }
    if (problems.length > 0) return;
    const ordered = [...rows].sort(
      (a, b) => (paths.get(a.code)?.length ?? 0) - (paths.get(b.code)?.length ?? 0),
    );
    for (const row of ordered) {
      const values = {
        code: row.code,
        name: row.name,
        parent_code: row.parent,
        level: row.level,
        path: paths.get(row.code)!,
      };
      await trx
        .insertInto('org_units')
        .values(values)
        .onConflict((oc) =>
          oc.column('code').doUpdateSet({
            name: values.name,
            parent_code: values.parent_code,
            level: values.level,
            path: values.path,
          }),
        )
        .execute();
      imported++;
    }
  });
  return { imported: problems.length > 0 ? 0 : imported, problems };
}
