import { readdirSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { ErrorDetail, NxError } from '../errors/nx-error.ts';
import { type Text, text } from '../i18n.ts';
import { type DefinitionEntry, definitionView, referenceProblems } from './cross-check.ts';
import { definitionLimitProblems } from './json-limits.ts';
import { type DefinitionKind, kindAccepts, type LoadContext } from './kind.ts';
import { readJsonFile } from './load-file.ts';
import { type LoadResult, loaded, type Problem, problem, rejected } from './problem.ts';

/**
 * Loading definition files of any registered kind (Node only: reads the disk). One policy for
 * every kind: every problem of every file is collected, each with its file, pointer and code.
 */

const asRecord = (v: unknown): Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

/**
 * Which kind a file is: its `"kind"` property when that names a kind, else the schema it names
 * in `"$schema"` (`…/workflow.schema.json` → workflow), else the nearest folder a kind lives in
 * (`reports/` → report) whose file filter takes the name, else a form.
 */
export function sniffKind(file: string, json: unknown, kinds: readonly DefinitionKind[]): string {
  const obj = asRecord(json);
  if (typeof obj.kind === 'string' && kinds.some((k) => k.name === obj.kind)) return obj.kind;
  const schema =
    typeof obj.$schema === 'string' ? /([a-z-]+)\.schema\.json$/.exec(obj.$schema)?.[1] : undefined;
  if (schema) return schema;
  const name = basename(file);
  for (const folder of file.split(/[\\/]/).slice(0, -1).reverse()) {
    const kind = kinds.find((k) => k.folder === folder && kindAccepts(k, name));
    if (kind) return kind.name;
  }
  return 'form';
}

/** Reads one file and checks it with the loader of its kind (no references yet). */
export function loadDefinitionFile(
  file: string,
  kinds: readonly DefinitionKind[],
  ctx: Omit<LoadContext, 'file'> = {},
): DefinitionEntry {
  const json = readJsonFile(file);
  if (!json.ok) return { file, kind: null, problems: json.problems };
  // Size and depth first, for every kind (a plugin's loader may walk the value recursively).
  const limits = definitionLimitProblems(json.value, file);
  if (limits.length > 0) return { file, kind: null, problems: limits };
  const name = sniffKind(file, json.value, kinds);
  const kind = kinds.find((k) => k.name === name);
  const rawId = asRecord(json.value).id;
  const id = typeof rawId === 'string' ? rawId : undefined;
  if (!kind) {
    const known = kinds.map((k) => k.name).join(', ');
    return {
      file,
      kind: name,
      id,
      problems: [
        problem(
          'NX_ERR_DEF_UNKNOWN_KIND',
          '',
          text(`无法检查“${name}”类定义`, `No checker for definitions of kind "${name}"`),
          text(`可检查的种类：${known}`, `Kinds that can be checked: ${known}`),
          { file, params: { kind: name } },
        ),
      ],
    };
  }
  const r = kind.load(json.value, { ...ctx, file });
  if (!r.ok) return { file, kind: name, id, problems: r.problems };
  return { file, kind: name, id: kind.idOf(r.value) ?? id, value: r.value, problems: [] };
}

/** The definition files in a folder that a kind takes, sorted by name. */
export function kindFiles(kind: DefinitionKind, dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => kindAccepts(kind, f))
    .sort()
    .map((f) => join(dir, f));
}

/**
 * Checks `entries` against each other and against `context` (definitions they may refer to but
 * that are not being checked, e.g. the configured folders): two checked files with one id, then
 * each loaded one's references. Problems are added to the entries' own lists.
 */
export function checkReferences(
  entries: readonly DefinitionEntry[],
  context: readonly DefinitionEntry[],
  kinds: readonly DefinitionKind[],
  ctx: Omit<LoadContext, 'file'> = {},
): void {
  const checked = new Set(entries.map((e) => resolve(e.file)));
  const shadowed = new Set(entries.map((e) => `${e.kind}\u0000${e.id}`));
  const others = context.filter(
    (c) => !checked.has(resolve(c.file)) && !shadowed.has(`${c.kind}\u0000${c.id}`),
  );
  const view = definitionView([...others, ...entries], kinds);
  const first = new Map<string, string>();
  for (const e of entries) {
    if (!e.kind || e.id === undefined) continue;
    const key = `${e.kind}\u0000${e.id}`;
    const earlier = first.get(key);
    if (earlier === undefined) first.set(key, e.file);
    else e.problems.push(duplicateId(e, earlier));
  }
  for (const e of entries) {
    const kind = kinds.find((k) => k.name === e.kind);
    if (!kind || e.value === undefined) continue;
    e.problems.push(...referenceProblems(kind, e.value, view, kinds, { ...ctx, file: e.file }));
  }
}

function duplicateId(e: DefinitionEntry, earlier: string): Problem {
  return problem(
    'NX_ERR_DEF_DUPLICATE_ID',
    '/id',
    text(`标识“${e.id}”已由 ${earlier} 使用`, `The id "${e.id}" is already used by ${earlier}`),
    text('每个定义使用不同的 id', 'Give every definition its own id'),
    { file: e.file, params: { kind: e.kind, id: e.id, first: earlier } },
  );
}

/**
 * Loads every file of one kind in a folder, each checked on its own and against the others
 * (duplicate ids); all problems of all files, or every value.
 */
export function loadKindDir<T>(
  kind: DefinitionKind<T>,
  dir: string,
  ctx: Omit<LoadContext, 'file'> = {},
): LoadResult<T[]> {
  const all = [kind as DefinitionKind];
  const entries = kindFiles(kind as DefinitionKind, dir).map((f) => {
    const e = loadDefinitionFile(f, all, ctx);
    // Files in a kind's folder are of that kind, whatever their "kind" property says.
    return e.kind === kind.name || e.kind === null ? e : loadAs(kind as DefinitionKind, f, ctx);
  });
  const first = new Map<string, string>();
  for (const e of entries) {
    if (e.id === undefined || e.value === undefined) continue;
    const earlier = first.get(e.id);
    if (earlier === undefined) first.set(e.id, e.file);
    else e.problems.push(duplicateId(e, earlier));
  }
  const problems = entries.flatMap((e) => e.problems);
  return problems.length > 0 ? rejected(problems) : loaded(entries.map((e) => e.value as T));
}

function loadAs(kind: DefinitionKind, file: string, ctx: Omit<LoadContext, 'file'>): DefinitionEntry {
  const json = readJsonFile(file);
  if (!json.ok) return { file, kind: null, problems: json.problems };
  const r = kind.load(json.value, { ...ctx, file });
  return r.ok
    ? { file, kind: kind.name, id: kind.idOf(r.value), value: r.value, problems: [] }
    : { file, kind: kind.name, problems: r.problems };
}

/** `file:pointer CODE message` for each problem, for an error's English and Chinese text. */
const listed = (problems: readonly Problem[], lang: 'zh-CN' | 'en') =>
  problems.map((p) => `${p.file ?? ''}${p.pointer ? `#${p.pointer}` : ''} ${p.code} ${p.message[lang]}`);

/**
 * The values, or the error `fail` makes (a typed helper of the caller's code) listing every
 * problem as `errors`, each with its pointer and file: what a plugin's set-up throws when a
 * folder of its definitions is broken.
 *
 * @example valuesOrThrow(loadKindDir(kind, dir), (m, e) => rulesError('NX_ERR_RULES_INVALID_RULESET', m, e), what)
 */
export function valuesOrThrow<T>(
  result: LoadResult<T>,
  fail: (message: Text, errors: ErrorDetail[]) => NxError,
  what: Text,
): T {
  if (result.ok) return result.value;
  const errors: ErrorDetail[] = result.problems.map((p) => ({
    path: p.pointer,
    code: p.code,
    message: p.message,
    hint: p.hint,
    params: { file: p.file ?? null, ...(p.params ?? {}) },
  }));
  throw fail(
    text(
      `${what['zh-CN']}：${errors.length} 个问题：${listed(result.problems, 'zh-CN').join('；')}`,
      `${what.en}: ${errors.length} problem(s): ${listed(result.problems, 'en').join('; ')}`,
    ),
    errors,
  );
}
