import { type TSchema, Type } from '@sinclair/typebox';
import { text } from '../i18n.ts';
import { compileLogic } from '../logic/compile.ts';
import { createOperationRegistry } from '../logic/registry.ts';
import type { OperationRegistry } from '../logic/types.ts';
import type { FieldTypeRegistry } from '../runtime/field-types/registry.ts';
import { fieldProblems } from './field-problems.ts';
import { outlineForm } from './form-outline.ts';
import { calcCycleProblems, duplicateIdProblems, formRuleProblems, formRules } from './form-problems.ts';
import { FIELD_TYPES, FormDefinition } from './form-schema.ts';
import { definitionLimitProblems } from './json-limits.ts';
import {
  childPointer,
  type LoadResult,
  loaded,
  type Problem,
  problem,
  rejected,
  sortProblems,
} from './problem.ts';
import { schemaProblems, type UnknownTagArgs, unknownTypeProblem } from './schema-problems.ts';

export interface LoadFormOptions {
  /** Shown in every problem, so tools can print `file:pointer`. */
  readonly file?: string;
  /** Operations rules may use; the standard set plus Nuanxin's custom ones by default. */
  readonly operations?: OperationRegistry;
  /** Field types, so a plugin's field types are accepted; the built-in types by default. */
  readonly fieldTypes?: FieldTypeRegistry;
}

/**
 * Checks a form definition and returns it typed, or rejects it with every problem found — each
 * with the file, a JSON pointer, a stable code, and a fix hint in zh-CN and English.
 *
 * @example
 * const r = loadForm(JSON.parse(src), { file: 'forms/household-survey.json' });
 * if (!r.ok) for (const p of r.problems) console.log(p.pointer, p.code, p.message['zh-CN']);
 */
export function loadForm(json: unknown, opts: LoadFormOptions = {}): LoadResult<FormDefinition> {
  const { file } = opts;
  const operations = opts.operations ?? createOperationRegistry();
  const known = knownTypes(opts.fieldTypes);
  const limits = definitionLimitProblems(json, file);
  if (limits.length > 0) return rejected(limits);

  const schema = schemaProblems(FormDefinition, json, file, {
    onUnknownTag: (args) => pluginFieldProblems(args, opts.fieldTypes, known, file),
  });
  const outline = outlineForm(json);
  const semantic: Problem[] = [
    ...duplicateIdProblems(outline, file),
    ...outline.fields.flatMap((f) => fieldProblems(f, file)),
    ...formRuleProblems(json, outline, operations, file),
    ...calcCycleProblems(outline, operations, file),
  ];
  semantic.push(...compileProblems(json, outline, operations, semantic, file));

  // A property the schema does not allow there is reported once: as "unknown property",
  // except a `calculate` on a group, where "calculation not allowed" says more.
  const notAllowed = new Set(
    semantic.filter((p) => p.code === 'NX_ERR_DEF_CALC_NOT_ALLOWED').map((p) => p.pointer),
  );
  const unknownProps = new Set(
    schema.filter((p) => p.code === 'NX_ERR_DEF_UNKNOWN_PROPERTY').map((p) => p.pointer),
  );
  const problems = [
    ...schema.filter((p) => !(p.code === 'NX_ERR_DEF_UNKNOWN_PROPERTY' && notAllowed.has(p.pointer))),
    ...semantic.filter((p) => p.code === 'NX_ERR_DEF_CALC_NOT_ALLOWED' || !unknownProps.has(p.pointer)),
  ];
  return problems.length === 0 ? loaded(json as FormDefinition) : rejected(sortProblems(problems));
}

function knownTypes(catalog: FieldTypeRegistry | undefined): string[] {
  return [...new Set<string>([...FIELD_TYPES, ...(catalog?.names() ?? [])])];
}

/** Properties every field has, whatever its type: taken from the built-in text field's schema. */
function commonProperties(): Record<string, TSchema> {
  const text = FormDefinition.properties.sections.items.properties.fields.items.anyOf[0].anyOf[0];
  const { type: _type, minLength: _a, maxLength: _b, pattern: _c, ...rest } = text.properties;
  return rest;
}

/**
 * A field whose type is not built in: accepted when the catalog knows it (checked against the
 * common properties plus the type's own, when it declares them), reported otherwise.
 */
function pluginFieldProblems(
  args: UnknownTagArgs,
  catalog: FieldTypeRegistry | undefined,
  known: string[],
  file: string | undefined,
): Problem[] {
  if (!catalog?.has(args.tag)) {
    return [unknownTypeProblem(args.tag, childPointer(args.pointer, 'type'), known, file)];
  }
  const options = catalog.get(args.tag)?.options as { properties?: Record<string, TSchema> } | undefined;
  const own = options?.properties;
  const schema = Type.Object(
    { ...commonProperties(), type: Type.Literal(args.tag), ...(own ?? {}) },
    // Without a declared schema the plugin's extra properties cannot be judged here.
    { additionalProperties: own === undefined },
  );
  return schemaProblems(schema, args.value, file).map((p) => ({ ...p, pointer: args.pointer + p.pointer }));
}

/**
 * Rules that passed the name and operation checks are compiled, so anything the compiler itself
 * refuses (a constant argument an operation rejects, a forbidden path) is reported here too.
 */
function compileProblems(
  json: unknown,
  outline: ReturnType<typeof outlineForm>,
  operations: OperationRegistry,
  already: readonly Problem[],
  file: string | undefined,
): Problem[] {
  const out: Problem[] = [];
  for (const { pointer, rule } of formRules(json, outline)) {
    if (already.some((p) => p.pointer === pointer || p.pointer.startsWith(`${pointer}/`))) continue;
    try {
      compileLogic(rule, operations);
    } catch (err) {
      const e = err as {
        messageText?: { 'zh-CN': string; en: string };
        message?: string;
        errors?: { path?: string }[];
      };
      const zh = e.messageText?.['zh-CN'] ?? String(e.message);
      const en = e.messageText?.en ?? String(e.message);
      out.push(
        problem(
          'NX_ERR_DEF_BAD_RULE',
          pointer + (e.errors?.[0]?.path ?? ''),
          text(`规则无法编译：${zh}`, `The rule cannot be compiled: ${en}`),
          text(
            '对照 docs/forms.md 中的运算说明改写该规则',
            'Rewrite the rule following the operations in docs/forms.md',
          ),
          { file },
        ),
      );
    }
  }
  return out;
}
