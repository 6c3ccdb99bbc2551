import {
  checkDefinition,
  type DefinitionChecks,
  loadKindDir,
  readJsonFile,
  valuesOrThrow,
} from '../../engine/entry/definition.ts';
import { childPointer, type LoadResult } from '../../engine/entry/plugin.ts';
import type { OperationRegistry } from '../../engine/entry/runtime.ts';
import { reportError } from './errors.ts';
import { reportKind } from './report-kind.ts';
import { ReportDefinition } from './report-schema.ts';

/** What a list report's expressions may read (see `ListColumn`). */
export const LIST_ROOTS = ['data', 'decision', 'org', 'submission', 'workflow', 'seq'] as const;

/**
 * Checks a report definition: the schema first, then what a schema cannot say — the pieces each
 * kind needs, column ids named by the layout, every JSON Logic rule compiling and reading only
 * what it can. All problems are returned, each with its JSON pointer.
 */
export function loadReport(
  json: unknown,
  opts: { file?: string; operations?: OperationRegistry } = {},
): LoadResult<ReportDefinition> {
  return checkDefinition(ReportDefinition, json, opts, reportChecks);
}

function reportChecks(def: ReportDefinition, c: DefinitionChecks): void {
  const add = (pointer: string, zh: string, en: string, hintZh: string, hintEn: string) =>
    c.add('NX_ERR_REPORT_INVALID', pointer, zh, en, hintZh, hintEn);

  const rule = (r: unknown, pointer: string, roots?: readonly string[]) => {
    const paths = c.rule(r, pointer);
    if (!paths || !roots) return;
    for (const path of paths) {
      const root = path.split('.')[0] ?? '';
      if (path !== '' && !roots.includes(root)) {
        add(
          pointer,
          `规则读取了“${path}”，列表报表只能读取 ${roots.join('、')}`,
          `The rule reads "${path}"; a list report reads only ${roots.join(', ')}`,
          `改为 data.${path} 等`,
          `Write data.${path} or similar`,
        );
      }
    }
  };

  const src = def.source;
  if ((src.form === undefined) === (src.provided === undefined))
    add(
      '/source',
      'source 须写明 form（表单的提交）或 provided（插件提供的数据源）之一',
      'The source names either a form (its submissions) or a provided source (a plugin’s items), not both',
      '如 "form": "household-survey" 或 "provided": "payments.batch-lines"',
      'e.g. "form": "household-survey" or "provided": "payments.batch-lines"',
    );
  if (
    src.provided &&
    (src.rows || src.decisions || src.register || src.workflow || src.periodField || src.latestPerUnit)
  )
    add(
      '/source/provided',
      '插件提供的数据源不能与 rows、decisions、register、workflow、periodField、latestPerUnit 同用',
      'A provided source takes none of rows, decisions, register, workflow, periodField, latestPerUnit',
      '删去这些项，或改用 form',
      'Drop them, or use a form',
    );
  if (src.provided && (def.kind === 'document' || def.kind === 'status'))
    add(
      '/source/provided',
      '只有列表和汇总报表可以读取插件提供的数据源',
      'Only list and aggregate reports read a provided source',
      '改为 list 或 aggregate',
      'Use kind list or aggregate',
    );
  if (src.familyLines && (def.kind !== 'document' || !src.form || src.decisions))
    add(
      '/source/familyLines',
      'familyLines 只用于文书报表，须与 form 同用，且不与 decisions 同用',
      'familyLines is for document reports, with a form and without decisions',
      '改为 document，写明 form，删去 decisions',
      'Use kind document with a form and no decisions',
    );
  const ids: string[] = [];
  if (def.kind === 'aggregate') {
    if (!def.measures)
      add(
        '/measures',
        '汇总报表需要 measures',
        'An aggregate report needs measures',
        '添加至少一个指标',
        'Add at least one measure',
      );
    def.measures?.forEach((m, i) => {
      ids.push(m.id);
      if (m.op !== 'count' && !m.field) {
        add(
          childPointer('/measures', i, 'field'),
          `指标“${m.id}”的 ${m.op} 需要 field`,
          `Measure "${m.id}" (${m.op}) needs a field`,
          '写明字段，如 "row.visits"',
          'Name the field, e.g. "row.visits"',
        );
      }
      if (m.field?.startsWith('row.') && !def.source.rows) {
        add(
          childPointer('/measures', i, 'field'),
          '读取 row. 需要 source.rows（按表格行汇总）',
          'Reading row. needs source.rows (items are table rows)',
          '在 source 中写明表格字段',
          'Name the table field in source.rows',
        );
      }
    });
    if (def.filter !== undefined) rule(def.filter, '/filter');
  } else if (def.kind === 'list') {
    if (!def.columns)
      add('/columns', '列表报表需要 columns', 'A list report needs columns', '添加列', 'Add columns');
    def.columns?.forEach((c, i) => {
      ids.push(c.id);
      rule(c.value, childPointer('/columns', i, 'value'), LIST_ROOTS);
    });
    if (def.filter !== undefined) rule(def.filter, '/filter', LIST_ROOTS);
  }

  const seen = new Set<string>();
  ids.forEach((id, i) => {
    if (seen.has(id)) {
      add(
        childPointer(def.kind === 'aggregate' ? '/measures' : '/columns', i, 'id'),
        `列“${id}”重复`,
        `Column "${id}" is defined twice`,
        '每列使用不同的 id',
        'Give every column its own id',
      );
    }
    seen.add(id);
  });
  const known = new Set(ids);
  def.layout?.order?.forEach((id, i) => {
    if (!known.has(id)) {
      add(
        childPointer('/layout/order', i),
        `没有列“${id}”`,
        `There is no column "${id}"`,
        `可用：${ids.join(', ')}`,
        `Known: ${ids.join(', ')}`,
      );
    }
  });
  const order = columnOrder(ids, def.layout?.order);
  def.layout?.groups?.forEach((g, gi) => {
    const at = g.columns.map((id) => order.indexOf(id));
    g.columns.forEach((id, ci) => {
      if (!known.has(id)) {
        add(
          childPointer('/layout/groups', gi, 'columns', ci),
          `没有列“${id}”`,
          `There is no column "${id}"`,
          `可用：${ids.join(', ')}`,
          `Known: ${ids.join(', ')}`,
        );
      }
    });
    const sorted = [...at].sort((a, b) => a - b);
    const contiguous = sorted.every((v, k) => v >= 0 && (k === 0 || v === (sorted[k - 1] ?? -2) + 1));
    if (at.every((v) => v >= 0) && !contiguous) {
      add(
        childPointer('/layout/groups', gi),
        '表头分组的列必须相邻',
        'The columns of a header group must be next to each other',
        '调整 layout.order',
        'Change layout.order',
      );
    }
  });
}

/** Column ids in display order: those named in `order` first, the rest in definition order. */
export function columnOrder(ids: readonly string[], order: readonly string[] | undefined): string[] {
  const first = (order ?? []).filter((id) => ids.includes(id));
  return [...first, ...ids.filter((id) => !first.includes(id))];
}

/** Reads and checks one report file. */
export function loadReportFile(
  path: string,
  opts: { operations?: OperationRegistry } = {},
): LoadResult<ReportDefinition> {
  const r = readJsonFile(path);
  if (!r.ok) return r;
  return loadReport(r.value, { file: path, ...opts });
}

/** Loads every report of a folder; any problem stops with one error listing them all, each with its pointer. */
export function loadReportsDir(
  dir: string,
  opts: { operations?: OperationRegistry } = {},
): ReportDefinition[] {
  return valuesOrThrow(
    loadKindDir(reportKind(), dir, opts),
    (m, e) => reportError('NX_ERR_REPORT_INVALID', m, e),
    {
      'zh-CN': `报表目录 ${dir}`,
      en: `The reports in ${dir}`,
    },
  );
}
