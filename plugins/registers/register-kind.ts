import { childPointer, type DefinitionKind } from '../../engine/entry/plugin.ts';
import { bindingProblems, loadRegister } from './load-register.ts';
import { RegisterDefinition, registerJsonSchema } from './register-schema.ts';

/**
 * Registers as a definition kind (`registers/*.json`): each binding refers to a form, and is
 * checked against it (fields present, types fitting) wherever `nuanxin validate` runs.
 */
export function registerKind(dir?: string): DefinitionKind<RegisterDefinition> {
  return {
    name: 'register',
    folder: 'registers',
    title: { 'zh-CN': '登记簿', en: 'register' },
    schema: RegisterDefinition,
    jsonSchema: registerJsonSchema,
    ...(dir ? { dirs: [dir] } : {}),
    load: (json, ctx) => loadRegister(json, ctx.file ? { file: ctx.file } : {}),
    idOf: (def) => def.id,
    references: (def) =>
      def.forms.map((b, i) => ({ kind: 'form', id: b.form, pointer: childPointer('/forms', i, 'form') })),
    check: (def, view, ctx) => bindingProblems(def, (id) => view.get('form', id), { file: ctx.file }),
  };
}
