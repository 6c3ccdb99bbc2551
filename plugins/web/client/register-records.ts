import type { FormDefinition } from '../../../engine/entry/definition.ts';
import type { Text } from '../../../engine/entry/plugin.ts';
import { idcardAge } from '../../../engine/entry/runtime.ts';
import { maskId } from './actions.ts';
import { lang, t, tr } from './i18n.ts';

/**
 * What the register pages read from `/api/registers` (the registers plugin), and the pure
 * helpers they share: the follow-up data of a re-survey, values and versions in words, the body
 * of a filtered list query. No DOM here, so the helpers are tested in Node.
 */

export interface PropertyDef {
  id: string;
  type: string;
  label: Text;
  pii?: string;
  indexed?: boolean;
}
export interface RegisterDef {
  id: string;
  title: Text;
  key: { type: string; label: Text };
  properties: PropertyDef[];
  statuses: { id: string; label: Text; reasons?: { value: string; label: Text }[] }[];
  forms: string[];
}
export interface RecordView {
  id: string;
  key: string;
  status: string;
  statusReason: string | null;
  ownerOrgCode: string;
  currentVersion: number;
  openConflicts: number;
  mergedInto: string | null;
  createdAt: string;
  updatedAt: string;
  properties: Record<string, unknown>;
}
export interface VersionView {
  recordId: string;
  version: number;
  source: string;
  submissionId: string | null;
  baseVersion: number | null;
  conflict: boolean;
  actor: string | null;
  at: string;
  properties: Record<string, unknown>;
  members: string[];
}
export interface FlagView {
  id: string;
  kind: 'conflict' | 'duplicate' | string;
  recordId: string;
  otherRecordId: string | null;
  version: number | null;
  subject: string | null;
  status: string;
  createdAt: string;
  resolvedAt: string | null;
  resolvedBy: string | null;
  resolution: string | null;
}
export interface BenefitLine {
  id: string;
  type: string;
  period: string;
  amount: number;
  status: string;
  startMonth: string;
  endMonth: string | null;
  applicationId: string;
}
export interface TransferView {
  id: string;
  recordId: string;
  direction: 'in' | 'out';
  fromOrgCode: string;
  fromName: string;
  toOrgCode: string;
  toName: string;
  requestedBy: string;
  requestedAt: string;
  name: string | null;
  key: string;
}
export interface RecordShow {
  record: RecordView;
  merged: string[];
  versions: VersionView[];
  flags: FlagView[];
  /** The record's statuses in order, with the day each takes effect. */
  statuses?: { status: string; reason: string | null; effective: string; actor: string | null; at: string }[];
  submissions: { id: string; formId: string; status: string; createdAt: string }[];
  cases: { id: string; submission_id: string; workflow_id: string; state: string; updated_at: string }[];
  /** Sections other plugins add, absent when the plugin is off or the reader may not see them. */
  decisions?: { id: string; submission_id: string; ruleset_id: string; as_of: string; outputs: unknown }[];
  benefits?: BenefitLine[];
}

/** An ID number as a list shows it, whatever the caller may see: a list is read over a shoulder. */
export const listId = (id: string): string => (id.includes('*') ? id : maskId(id));

/** The head's name of a record, else a placeholder. */
export const headName = (r: RecordView): string =>
  typeof r.properties.headName === 'string' && r.properties.headName !== ''
    ? r.properties.headName
    : tr('（未填户主姓名）', '(no name given)');

export function statusText(def: RegisterDef, r: Pick<RecordView, 'status' | 'statusReason'>): string {
  const s = def.statuses.find((x) => x.id === r.status);
  const reason = s?.reasons?.find((x) => x.value === r.statusReason);
  return `${s ? t(s.label) : r.status}${reason ? tr(`（${t(reason.label)}）`, ` (${t(reason.label)})`) : ''}`;
}

const num = (v: number): string =>
  v.toLocaleString(lang() === 'en' ? 'en-GB' : 'zh-CN', { maximumFractionDigits: 2 });

export type OptionWords = ReadonlyMap<string, readonly { value: unknown; label: Text }[]>;

/**
 * A property's value in words: the form's option label for a coded value (`male` → 男), 元 for
 * money, yes/no, a dash for nothing.
 */
export function valueWords(p: Pick<PropertyDef, 'type' | 'id'>, v: unknown, options?: OptionWords): string {
  if (v === null || v === undefined || v === '') return '—';
  const codes = p.type === 'codes' ? codeList(v) : null;
  if (codes)
    return codes.length
      ? codes.map((c) => valueWords({ id: p.id, type: 'text' }, c, options)).join(tr('、', ', '))
      : '—';
  const named = options?.get(p.id)?.find((o) => o.value === v);
  if (named) return t(named.label);
  if (p.type === 'boolean') return v === true ? tr('是', 'yes') : tr('否', 'no');
  if (p.type === 'money' && typeof v === 'number') return tr(`${num(v)} 元`, `${num(v)} yuan`);
  if (typeof v === 'number') return num(v);
  return String(v);
}

/** A `codes` property's values: a list, or the JSON text of one. */
function codeList(v: unknown): unknown[] | null {
  if (Array.isArray(v)) return v;
  if (typeof v !== 'string' || !v.startsWith('[')) return null;
  try {
    const parsed = JSON.parse(v) as unknown;
    return Array.isArray(parsed) ? parsed : null;
  } catch {
    return null;
  }
}

/** How a version came about, in words. */
export function sourceWords(v: Pick<VersionView, 'source' | 'submissionId' | 'conflict'>): string {
  if (v.source === 'submission')
    return v.conflict
      ? tr('入户调查（与当前版本冲突，待处理）', 'household survey (conflicts with the current version)')
      : tr('入户调查', 'household survey');
  if (v.source === 'import') return tr('名单导入', 'imported from a list');
  if (v.source === 'resolve')
    return tr('处理冲突：采用冲突版本', 'conflict resolved: the other version taken');
  if (v.source.startsWith('merge:'))
    return tr(`合并记录 ${v.source.slice(6)}`, `record ${v.source.slice(6)} merged in`);
  return v.source;
}

/** One version as a sentence: number, when, who, how, against which version. */
export function versionSentence(v: VersionView, when?: (iso: string) => string): string {
  const who = v.actor ?? tr('系统', 'the system');
  const base =
    v.baseVersion === null
      ? ''
      : v.baseVersion === 0
        ? tr('，按新户填写', ', filled as a new family')
        : tr(`，依据第 ${v.baseVersion} 版填写`, `, filled against version ${v.baseVersion}`);
  return tr(
    `第 ${v.version} 版：${when ? `${when(v.at)} ` : ''}由 ${who} 记入（${sourceWords(v)}${base}）`,
    `Version ${v.version}: recorded ${when ? `${when(v.at)} ` : ''}by ${who} (${sourceWords(v)}${base})`,
  );
}

/** The property ids whose values differ between two sets of values (for a side-by-side view). */
export function differing(
  props: readonly Pick<PropertyDef, 'id'>[],
  a: Record<string, unknown>,
  b: Record<string, unknown>,
): Set<string> {
  return new Set(
    props.filter((p) => JSON.stringify(a[p.id] ?? null) !== JSON.stringify(b[p.id] ?? null)).map((p) => p.id),
  );
}

export interface ListFilters {
  orgCode?: string;
  status?: string;
  areaType?: string;
  maxIncome?: string;
  surveyedBefore?: string;
}

/** The body of `POST /api/registers/:id/records/query` for what the filters say (typed, no ID numbers). */
export function queryBody(
  f: ListFilters,
  after: string | null,
  limit: number,
): {
  status?: string;
  orgCode?: string;
  filters: { property: string; op: string; value?: unknown }[];
  after?: string;
  limit: number;
} {
  const filters: { property: string; op: string; value?: unknown }[] = [];
  if (f.areaType) filters.push({ property: 'areaType', op: 'eq', value: f.areaType });
  const income = f.maxIncome?.trim() ? Number(f.maxIncome) : Number.NaN;
  if (Number.isFinite(income)) filters.push({ property: 'perCapitaMonthlyIncome', op: 'lte', value: income });
  if (f.surveyedBefore) filters.push({ property: 'surveyDate', op: 'lt', value: f.surveyedBefore });
  return {
    ...(f.status ? { status: f.status } : {}),
    ...(f.orgCode ? { orgCode: f.orgCode } : {}),
    filters,
    ...(after ? { after } : {}),
    limit,
  };
}

type AnyField = { id: string; type: string; fields?: AnyField[]; columns?: AnyField[] };

/** The data fields of a form (groups opened; their fields keep their ids at the top level). */
function topFields(def: FormDefinition): AnyField[] {
  const out: AnyField[] = [];
  const walk = (fs: readonly AnyField[]) => {
    for (const f of fs) f.type === 'group' ? walk(f.fields ?? []) : out.push(f);
  };
  for (const s of def.sections) walk(s.fields as unknown as AnyField[]);
  return out;
}

const FRESH_TYPES = new Set(['signature', 'photo', 'file']);

/**
 * The data a re-survey starts from: the last survey of the record (members, assets …) with the
 * record's current values and base version over it (`prefill`), dated `asOf`; signatures,
 * photos and files left empty (a new visit signs again); each table row's `age` recomputed from
 * its ID number as of that date (never copied stale from the last visit).
 */
export function resurveyData(
  def: FormDefinition,
  survey: Record<string, unknown> | undefined,
  prefill: Record<string, unknown>,
  asOf: string,
  dateField = 'surveyDate',
): Record<string, unknown> {
  const data: Record<string, unknown> = { ...(survey ?? {}), ...prefill };
  for (const f of topFields(def)) {
    if (FRESH_TYPES.has(f.type)) delete data[f.id];
    if (f.type === 'date' && f.id === dateField) data[f.id] = asOf;
    if (f.type !== 'table' || !Array.isArray(data[f.id])) continue;
    const cols = f.columns ?? [];
    const idCol = cols.find((c) => c.type === 'idcard')?.id;
    const ageCol = cols.find((c) => c.id === 'age' && c.type === 'integer')?.id;
    data[f.id] = (data[f.id] as Record<string, unknown>[]).map((row) => {
      const r = { ...row };
      for (const c of cols) if (FRESH_TYPES.has(c.type)) delete r[c.id];
      const id = idCol ? r[idCol] : undefined;
      if (ageCol && typeof id === 'string') {
        const age = idcardAge(id, asOf);
        if (age !== null) r[ageCol] = age;
      }
      return r;
    });
  }
  return data;
}

/**
 * Whether a prefill carries masked values (the key, a phone: the caller lacks `pii`): sent back
 * they would not be the family's, so a re-survey needs them whole.
 */
export const hasMasked = (data: Record<string, unknown>): boolean =>
  Object.values(data).some((v) => typeof v === 'string' && /\*{3}/.test(v));

/** Benefit kinds and states in words. */
export function benefitWords(b: BenefitLine): string {
  const type: Record<string, [string, string]> = {
    dibao: ['低保', 'Minimum living guarantee (dibao)'],
    tekun: ['特困供养', 'Extreme-poverty support (tekun)'],
    linshi: ['临时救助', 'Temporary assistance'],
  };
  const st: Record<string, [string, string]> = {
    active: ['发放中', 'being paid'],
    suspended: ['暂停', 'suspended'],
    stopped: ['已停止', 'stopped'],
  };
  const [tz, te] = type[b.type] ?? [b.type, b.type];
  const [sz, se] = st[b.status] ?? [b.status, b.status];
  const per = b.period === 'monthly' ? tr('元/月', 'yuan a month') : tr('元（一次性）', 'yuan once');
  const span = b.endMonth
    ? `${b.startMonth}–${b.endMonth}`
    : tr(`${b.startMonth} 起`, `from ${b.startMonth}`);
  return tr(
    `${tz} ${num(b.amount)} ${per}，${sz}，${span}`,
    `${te}: ${num(b.amount)} ${per}, ${se}, ${span}`,
  );
}

/**
 * The option labels of a form's coded fields, by field id (the households binding maps each
 * property to the field of the same id), so a registered `rural` reads 农村.
 */
export function optionWords(def: FormDefinition): Map<string, { value: unknown; label: Text }[]> {
  const out = new Map<string, { value: unknown; label: Text }[]>();
  for (const f of topFields(def)) {
    const options = (f as { options?: { value: unknown; label: Text }[] }).options;
    if (Array.isArray(options)) out.set(f.id, options);
  }
  return out;
}
