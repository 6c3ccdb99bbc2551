import { checkDefinition, type DefinitionChecks } from '../../engine/entry/definition.ts';
import { childPointer, type LoadResult } from '../../engine/entry/plugin.ts';
import { LIST_CORE_COLUMNS, ListDefinition } from './list-schema.ts';

/**
 * Checks a list definition: the schema first, then what a schema cannot say — unique column
 * ids, the ID-number column present and of type idcard, the area column an orgunit, options
 * exactly on select columns. Every problem is reported with its JSON pointer.
 */
export function loadList(json: unknown, opts: { file?: string } = {}): LoadResult<ListDefinition> {
  return checkDefinition(ListDefinition, json, opts, listChecks);
}

function listChecks(def: ListDefinition, { add }: DefinitionChecks): void {
  const seen = new Map<string, number>();
  def.columns.forEach((c, i) => {
    const at = childPointer('/columns', i, 'id');
    if ((LIST_CORE_COLUMNS as readonly string[]).includes(c.id)) {
      add(
        'NX_ERR_CROSSCHECKS_DUPLICATE_ID',
        at,
        `列编号“${c.id}”为保留字`,
        `Column id "${c.id}" is reserved`,
        `改用其他编号（保留：${LIST_CORE_COLUMNS.join(', ')}）`,
        `Choose another id (reserved: ${LIST_CORE_COLUMNS.join(', ')})`,
      );
    }
    const first = seen.get(c.id);
    if (first !== undefined) {
      add(
        'NX_ERR_CROSSCHECKS_DUPLICATE_ID',
        at,
        `列编号“${c.id}”已在 /columns/${first} 使用`,
        `Column id "${c.id}" is already used at /columns/${first}`,
        '每列使用不同的编号',
        'Give every column its own id',
      );
    } else seen.set(c.id, i);
    if (c.type === 'select' && !c.options) {
      add(
        'NX_ERR_CROSSCHECKS_INVALID_DEFINITION',
        childPointer('/columns', i),
        `选择列“${c.id}”缺少 options`,
        `Select column "${c.id}" has no options`,
        '列出可选的值 options: [{ value, label }]',
        'List the allowed values: options: [{ value, label }]',
      );
    }
    if (c.type !== 'select' && c.options) {
      add(
        'NX_ERR_CROSSCHECKS_INVALID_DEFINITION',
        childPointer('/columns', i, 'options'),
        `只有 select 列可以有 options（此列为 ${c.type}）`,
        `Only select columns take options (this one is ${c.type})`,
        '删除 options，或把类型改为 select',
        'Remove options, or make the column a select',
      );
    }
  });
  const named = (pointer: string, id: string, type: string) => {
    const i = seen.get(id);
    const col = i === undefined ? undefined : def.columns[i];
    if (!col) {
      add(
        'NX_ERR_CROSSCHECKS_UNKNOWN_NAME',
        pointer,
        `没有列“${id}”`,
        `No column "${id}"`,
        `使用已定义的列：${def.columns.map((c) => c.id).join(', ')}`,
        `Name a defined column: ${def.columns.map((c) => c.id).join(', ')}`,
      );
    } else if (col.type !== type) {
      add(
        'NX_ERR_CROSSCHECKS_INVALID_DEFINITION',
        pointer,
        `列“${id}”的类型应为 ${type}（现为 ${col.type}）`,
        `Column "${id}" must be of type ${type} (it is ${col.type})`,
        `把该列的类型改为 ${type}`,
        `Make the column's type ${type}`,
      );
    }
  };
  named('/idColumn', def.idColumn, 'idcard');
  if (def.areaColumn !== undefined) named('/areaColumn', def.areaColumn, 'orgunit');
}

/** SQL name of a list's generated table. */
export const listTableOf = (def: Pick<ListDefinition, 'id'>): string => `list_${def.id.replaceAll('-', '_')}`;
