import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  checkDefinition,
  type DefinitionChecks,
  type FieldEntry,
  outlineForm,
  readJsonFile,
} from '../../engine/entry/definition.ts';
import {
  childPointer,
  type LoadResult,
  type NxError,
  type Problem,
  problem,
  text,
} from '../../engine/entry/plugin.ts';
import { REGISTERS_CODES, registersError } from './errors.ts';
import { CORE_COLUMNS, type PropertyType, RegisterDefinition } from './register-schema.ts';
import { whenProblems } from './when.ts';

/**
 * Loads a register definition like the other loaders: the schema first, then what a schema
 * cannot say — unique ids, `active` among the statuses, and every binding checked against its
 * form (each named field exists, at the top level, with a type that fits). All problems are
 * reported, each with its JSON pointer.
 */

/** Form field types a property of each type accepts. */
const FITS: Readonly<Record<PropertyType, readonly string[]>> = {
  text: ['text', 'textarea', 'select', 'phone', 'idcard', 'orgunit'],
  integer: ['integer'],
  number: ['number', 'money', 'integer'],
  money: ['money', 'number', 'integer'],
  date: ['date'],
  boolean: ['boolean'],
  codes: ['multiselect'],
};

/** A form as the loader needs it: its id and its (possibly unchecked) JSON. */
export interface FormSource {
  readonly id: string;
  readonly json: unknown;
}

export function loadRegister(
  json: unknown,
  opts: { file?: string; forms?: ReadonlyMap<string, unknown> } = {},
): LoadResult<RegisterDefinition> {
  return checkDefinition(RegisterDefinition, json, opts, (def, { add, problems }) => {
    registerChecks(def, add);
    if (opts.forms) {
      const forms = opts.forms;
      const unknownForms = [...forms.keys()];
      problems.push(...bindingProblems(def, (id) => forms.get(id), { file: opts.file, unknownForms }));
    }
  });
}

/** What the register itself must say: unique property and status ids, `active` among the statuses. */
function registerChecks(def: RegisterDefinition, add: DefinitionChecks['add']): void {
  const props = new Map<string, PropertyType>();
  for (const [i, p] of def.properties.entries()) {
    const at = childPointer('/properties', i, 'id');
    if ((CORE_COLUMNS as readonly string[]).includes(p.id) || props.has(p.id)) {
      add(
        'NX_ERR_REGISTERS_DUPLICATE_ID',
        at,
        `属性“${p.id}”重复或为保留名称`,
        `Property "${p.id}" is used twice or reserved`,
        `换一个名称（保留：${CORE_COLUMNS.join(', ')}）`,
        `Choose another id (reserved: ${CORE_COLUMNS.join(', ')})`,
      );
    }
    props.set(p.id, p.type);
  }
  const statusIds = def.statuses.map((s) => s.id);
  if (!statusIds.includes('active')) {
    add(
      'NX_ERR_REGISTERS_BAD_STATUS',
      '/statuses',
      '状态中缺少 active（新记录的状态）',
      'The statuses lack active (the status of a new record)',
      '加上 {"id": "active", …}',
      'Add {"id": "active", …}',
    );
  }
  for (const [i, s] of def.statuses.entries()) {
    if (statusIds.indexOf(s.id) !== i) {
      add(
        'NX_ERR_REGISTERS_DUPLICATE_ID',
        childPointer('/statuses', i, 'id'),
        `状态“${s.id}”重复`,
        `Status "${s.id}" is listed twice`,
        '每个状态只列一次',
        'List each status once',
      );
    }
  }
}

/**
 * Each binding checked against its form: every named field exists at the top level with a type
 * that fits. `formOf` gives a form's JSON; with `unknownForms` a missing form is a problem too
 * (the definition-kind host reports missing references itself and leaves it out).
 */
export function bindingProblems(
  def: RegisterDefinition,
  formOf: (id: string) => unknown,
  opts: { file?: string | undefined; unknownForms?: readonly string[] } = {},
): Problem[] {
  const file = opts.file;
  const problems: Problem[] = [];
  const add = (code: string, pointer: string, zh: string, en: string, hintZh: string, hintEn: string) =>
    problems.push(problem(code, pointer, text(zh, en), text(hintZh, hintEn), { file }));
  const props = new Map<string, PropertyType>(def.properties.map((p) => [p.id, p.type]));
  for (const [b, binding] of def.forms.entries()) {
    const base = childPointer('/forms', b);
    const form = formOf(binding.form);
    if (form === undefined) {
      if (!opts.unknownForms) continue;
      add(
        'NX_ERR_REGISTERS_UNKNOWN_FORM',
        childPointer(base, 'form'),
        `找不到表单“${binding.form}”`,
        `No form "${binding.form}"`,
        `检查表单编号（已知：${opts.unknownForms.join(', ') || '无'}）`,
        `Check the form id (known: ${opts.unknownForms.join(', ') || 'none'})`,
      );
      continue;
    }
    const outline = outlineForm(form);
    const topLevel = new Map<string, FieldEntry>();
    for (const f of outline.fields) if (!f.table && f.id) topLevel.set(f.id, f);
    const need = (
      fieldId: string,
      pointer: string,
      types: readonly string[],
      what: { zh: string; en: string },
    ) => {
      const f = topLevel.get(fieldId);
      if (!f) {
        add(
          'NX_ERR_REGISTERS_UNKNOWN_FIELD',
          pointer,
          `表单“${binding.form}”没有顶层字段“${fieldId}”`,
          `Form "${binding.form}" has no top-level field "${fieldId}"`,
          `${what.zh}须为表单的顶层字段`,
          `${what.en} must be a top-level field of the form`,
        );
        return undefined;
      }
      if (!types.includes(f.type ?? '')) {
        add(
          'NX_ERR_REGISTERS_FIELD_TYPE',
          pointer,
          `字段“${fieldId}”的类型是 ${f.type}，${what.zh}需要 ${types.join('/')}`,
          `Field "${fieldId}" is of type ${f.type}; ${what.en} needs ${types.join('/')}`,
          '改绑一个类型相符的字段',
          'Bind a field of a fitting type',
        );
      }
      return f;
    };
    need(binding.key, childPointer(base, 'key'), def.key.type === 'idcard' ? ['idcard'] : FITS.text, {
      zh: '标识字段',
      en: 'the key field',
    });
    problems.push(...whenProblems(binding.when, childPointer(base, 'when'), file));
    if (binding.datedBy !== undefined) {
      need(binding.datedBy, childPointer(base, 'datedBy'), ['date'], {
        zh: '版本日期字段',
        en: 'the version-date field',
      });
    }
    if (binding.baseVersion !== undefined) {
      need(binding.baseVersion, childPointer(base, 'baseVersion'), ['integer'], {
        zh: '基础版本字段',
        en: 'the base-version field',
      });
    }
    for (const [prop, fieldId] of Object.entries(binding.properties)) {
      const at = childPointer(base, 'properties', prop);
      const type = props.get(prop);
      if (type === undefined) {
        add(
          'NX_ERR_REGISTERS_UNKNOWN_FIELD',
          at,
          `登记簿没有属性“${prop}”`,
          `The register has no property "${prop}"`,
          `先在 /properties 中声明（已有：${[...props.keys()].join(', ')}）`,
          `Declare it under /properties first (declared: ${[...props.keys()].join(', ')})`,
        );
        continue;
      }
      need(fieldId, at, FITS[type], { zh: `属性 ${prop}`, en: `property ${prop}` });
    }
    if (binding.members) {
      const at = childPointer(base, 'members');
      if (!def.members) {
        add(
          'NX_ERR_REGISTERS_UNKNOWN_FIELD',
          at,
          '登记簿未声明成员索引（/members）',
          'The register declares no member index (/members)',
          '在登记簿中加上 members，或删去此绑定',
          'Add members to the register, or remove this binding',
        );
      }
      const table = need(binding.members.table, childPointer(at, 'table'), ['table'], {
        zh: '成员表',
        en: 'the members table',
      });
      const col = table
        ? outline.columns.get(table)?.find((c) => c.id === binding.members?.field)
        : undefined;
      if (table && !col) {
        add(
          'NX_ERR_REGISTERS_UNKNOWN_FIELD',
          childPointer(at, 'field'),
          `表格“${binding.members.table}”没有列“${binding.members.field}”`,
          `Table "${binding.members.table}" has no column "${binding.members.field}"`,
          '填写成员身份证号所在的列',
          'Name the column holding each member’s ID number',
        );
      } else if (col && def.members?.type === 'idcard' && col.type !== 'idcard') {
        add(
          'NX_ERR_REGISTERS_FIELD_TYPE',
          childPointer(at, 'field'),
          `列“${col.id}”的类型是 ${col.type}，成员索引需要 idcard`,
          `Column "${col.id}" is of type ${col.type}; the member index needs idcard`,
          '改绑身份证号列',
          'Bind the ID-number column',
        );
      }
    }
  }
  return problems;
}

/** Reads every `*.json` of a folder; any problem stops with one error listing them all. */
export function loadRegistersDir(dir: string, forms: ReadonlyMap<string, unknown>): RegisterDefinition[] {
  let files: string[];
  try {
    files = readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .sort();
  } catch {
    return [];
  }
  const out: RegisterDefinition[] = [];
  const problems: Problem[] = [];
  for (const f of files) {
    const path = join(dir, f);
    const raw = readJsonFile(path);
    const r = raw.ok ? loadRegister(raw.value, { file: path, forms }) : raw;
    if (r.ok) out.push(r.value);
    else problems.push(...r.problems);
  }
  const seen = new Set<string>();
  for (const d of out) {
    if (seen.has(d.id)) {
      problems.push(
        problem(
          'NX_ERR_REGISTERS_DUPLICATE_ID',
          '/id',
          text(`登记簿“${d.id}”定义了两次`, `Register "${d.id}" is defined twice`),
          text('每个登记簿一个文件', 'One file per register'),
        ),
      );
    }
    seen.add(d.id);
  }
  if (problems.length > 0) throw definitionError(problems);
  return out;
}

export function definitionError(problems: readonly Problem[]): NxError {
  const line = (p: Problem, l: 'zh-CN' | 'en') => `${p.file ?? ''}#${p.pointer} ${p.code}: ${p.message[l]}`;
  return registersError(
    'NX_ERR_REGISTERS_INVALID_DEFINITION',
    text(
      `登记簿定义有错误：${problems.map((p) => line(p, 'zh-CN')).join('；')}`,
      `Register definitions have problems: ${problems.map((p) => line(p, 'en')).join('; ')}`,
    ),
    problems.map((p) => ({ path: p.pointer, code: p.code, message: p.message, hint: p.hint })),
  );
}

/** Forms of a folder by id, for the cross-checks (read as JSON; the forms' own loader checks them). */
export function formsOfDir(dir: string): Map<string, unknown> {
  const out = new Map<string, unknown>();
  let files: string[] = [];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.json'));
  } catch {
    return out;
  }
  for (const f of files) {
    const r = readJsonFile(join(dir, f));
    if (r.ok && typeof r.value === 'object' && r.value !== null) {
      const id = (r.value as { id?: unknown }).id;
      if (typeof id === 'string') out.set(id, r.value);
    }
  }
  return out;
}

/** The error of a registered code, with its status and bilingual message. */
export function registerError(
  code: keyof typeof REGISTERS_CODES,
  detail?: { zh: string; en: string },
): NxError {
  const info = REGISTERS_CODES[code];
  return registersError(
    code,
    detail ? text(`${info.message['zh-CN']}：${detail.zh}`, `${info.message.en}: ${detail.en}`) : undefined,
  );
}
