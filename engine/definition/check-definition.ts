import type { Static, TSchema } from '@sinclair/typebox';
import { NxError } from '../errors/nx-error.ts';
import { text } from '../i18n.ts';
import { compileLogic } from '../logic/compile.ts';
import { collectVars } from '../logic/references.ts';
import { definitionLimitProblems } from './json-limits.ts';
import type { LoadContext } from './kind.ts';
import { type LoadResult, loaded, type Problem, problem, rejected } from './problem.ts';
import { type SchemaProblemOptions, schemaProblems } from './schema-problems.ts';

/** What a kind's own checks get besides the value: where to report, and the rule compiler. */
export interface DefinitionChecks {
  /** Reports one problem: its code and pointer, what is wrong and how to fix it (zh-CN, English). */
  add(code: string, pointer: string, zh: string, en: string, hintZh: string, hintEn: string): void;
  /**
   * Compiles a JSON Logic rule with the plugins' operations. A rule that does not compile is a
   * problem at its pointer (and gives undefined); one that does gives the paths it reads.
   */
  rule(rule: unknown, pointer: string): string[] | undefined;
  /** Everything reported so far, for checks that build problems of their own. */
  readonly problems: Problem[];
}

/**
 * The one path a definition takes through its loader: size and depth first, then the kind's
 * schema, then the kind's own checks on the typed value — what a schema cannot say. Every
 * problem of a stage is reported, each with its JSON pointer; a later stage runs only on a value
 * the earlier ones passed.
 *
 * @example
 * return checkDefinition(ListDefinition, json, ctx, (def, c) => {
 *   if (def.columns.length === 0)
 *     c.add('NX_ERR_DEF_INVALID', '/columns', '没有列', 'No columns', '加一列', 'Add a column');
 * });
 */
export function checkDefinition<S extends TSchema>(
  schema: S,
  json: unknown,
  ctx: LoadContext,
  checks: (def: Static<S>, c: DefinitionChecks) => void,
  schemaOptions?: SchemaProblemOptions,
): LoadResult<Static<S>> {
  const file = ctx.file;
  const limits = definitionLimitProblems(json, file);
  if (limits.length > 0) return rejected(limits);
  const shape = schemaProblems(schema, json, file, schemaOptions);
  if (shape.length > 0) return rejected(shape);
  const def = json as Static<S>;
  const problems: Problem[] = [];
  checks(def, {
    problems,
    add: (code, pointer, zh, en, hintZh, hintEn) =>
      problems.push(problem(code, pointer, text(zh, en), text(hintZh, hintEn), { file })),
    rule: (rule, pointer) => {
      try {
        compileLogic(rule, ctx.operations);
      } catch (e) {
        if (!(e instanceof NxError)) throw e;
        const at = pointer + (e.errors?.[0]?.path ?? '');
        problems.push(
          problem(e.code, at, e.messageText, text('修正此处的规则', 'Fix the rule here'), { file }),
        );
        return undefined;
      }
      return collectVars(rule, ctx.operations);
    },
  });
  return problems.length > 0 ? rejected(problems) : loaded(def);
}
