import { randomBytes } from 'node:crypto';
import { CompiledQuery, type Kysely } from 'kysely';
import { type Database, dialectOf } from '../../engine/entry/server.ts';
import type { FindingTable } from './tables.ts';

/**
 * The write side of a comparison run: findings new, changed or opened again are written by one
 * multi-row `INSERT … ON CONFLICT (comparison_id, rule_id, subject) DO UPDATE` per 500 rows, its
 * text built once per batch size with bound parameters only. A row that meets a finding takes
 * over its compared values, delivery, record and owner; a closed one opens again with the row's
 * due date, an open one keeps its due date and stays as it is otherwise. Unchanged findings are
 * not written at all.
 */

const BATCH = 500;

const COLUMNS = [
  'id',
  'comparison_id',
  'rule_id',
  'list_id',
  'subject',
  'record_id',
  'delivery_id',
  'type',
  'severity',
  'compared',
  'fingerprint',
  'owner_org_code',
  'owner_org_path',
  'status',
  'resolution',
  'reason',
  'due_date',
  'created_at',
  'updated_at',
  'closed_at',
  'closed_by',
] as const satisfies readonly (keyof FindingTable)[];

const TAKEN = [
  'compared',
  'fingerprint',
  'delivery_id',
  'record_id',
  'owner_org_code',
  'owner_org_path',
  'updated_at',
];
/** Kept while the finding is open, emptied when a closed one opens again. */
const CLOSING = ['resolution', 'reason', 'closed_at', 'closed_by'];

const ifOpen = (col: string, otherwise: string) =>
  `${col} = case when crosscheck_findings.status = 'open' then crosscheck_findings.${col} else ${otherwise} end`;

const UPSERT_TAIL = ` on conflict (comparison_id, rule_id, subject) do update set ${[
  ...TAKEN.map((c) => `${c} = excluded.${c}`),
  "status = 'open'",
  ...CLOSING.map((c) => ifOpen(c, 'null')),
  ifOpen('due_date', 'excluded.due_date'),
].join(', ')}`;

function upsertText(rows: number, postgres: boolean): string {
  let p = 0;
  const tuples: string[] = [];
  for (let r = 0; r < rows; r++)
    tuples.push(`(${COLUMNS.map(() => (postgres ? `$${++p}` : '?')).join(', ')})`);
  return `insert into crosscheck_findings (${COLUMNS.join(', ')}) values ${tuples.join(', ')}${UPSERT_TAIL}`;
}

/**
 * The id prefix of one run's findings: sortable by creation (one run's block after another's) and
 * unique to the run. A finding's id is the prefix, its rule's index and (hex) its list row when
 * the rule ran in JavaScript, its place in ID-number order when it ran in SQL (`sql-rules.ts`).
 */
export function findingIdPrefix(nowIso: string): string {
  return `fd_${Date.parse(nowIso).toString(16).padStart(12, '0')}${randomBytes(4).toString('hex')}`;
}

export const findingId = (prefix: string, ruleIndex: number, rowNo: number): string =>
  `${prefix}${ruleIndex.toString(16).padStart(2, '0')}${rowNo.toString(16).padStart(8, '0')}`;

export function findingWriter(db: Kysely<Database>) {
  const postgres = dialectOf(db) === 'postgres';
  const texts = new Map<number, string>();
  let params: unknown[] = [];
  let rows = 0;

  const flush = async () => {
    if (rows === 0) return;
    let text = texts.get(rows);
    if (!text) {
      text = upsertText(rows, postgres);
      texts.set(rows, text);
    }
    const bound = params;
    params = [];
    rows = 0;
    await db.executeQuery(CompiledQuery.raw(text, bound));
  };
  return {
    async write(f: FindingTable): Promise<void> {
      for (const c of COLUMNS) params.push(f[c]);
      if (++rows >= BATCH) await flush();
    },
    flush,
  };
}
