import { text } from '../i18n.ts';
import type { DefinitionKind, DefinitionView, LoadContext } from './kind.ts';
import { type Problem, problem } from './problem.ts';
import { didYouMean } from './suggest.ts';

/** One definition file as read: its kind, id and value (when it loaded without problems). */
export interface DefinitionEntry {
  readonly file: string;
  readonly kind: string | null;
  readonly id?: string | undefined;
  readonly value?: unknown;
  readonly problems: Problem[];
}

/** The view of a set of entries that kinds read while checking references. */
export function definitionView(
  entries: readonly DefinitionEntry[],
  kinds: readonly DefinitionKind[],
): DefinitionView {
  const byKey = new Map<string, DefinitionEntry>();
  for (const e of entries) if (e.kind && e.id !== undefined) byKey.set(`${e.kind}\u0000${e.id}`, e);
  const entry = (kind: string, id: string) => byKey.get(`${kind}\u0000${id}`);
  return {
    get: (kind, id) => entry(kind, id)?.value,
    has: (kind, id) => entry(kind, id) !== undefined,
    ids: (kind) => [...new Set(entries.flatMap((e) => (e.kind === kind && e.id ? [e.id] : [])))].sort(),
    names(kind, id, namespace) {
      const e = entry(kind, id);
      const k = kinds.find((x) => x.name === kind);
      if (e?.value === undefined || !k?.names) return undefined;
      return k.names(e.value)[namespace];
    },
  };
}

const kindTitle = (kinds: readonly DefinitionKind[], name: string) =>
  kinds.find((k) => k.name === name)?.title ?? text(name, name);

/**
 * The cross-reference problems of one loaded definition: each reference to a definition that
 * does not exist, each name missing from the one that does, and the kind's own `check`.
 */
export function referenceProblems(
  kind: DefinitionKind,
  value: unknown,
  view: DefinitionView,
  kinds: readonly DefinitionKind[],
  ctx: LoadContext,
): Problem[] {
  const file = ctx.file;
  const out: Problem[] = [];
  for (const ref of kind.references?.(value, view) ?? []) {
    const title = kindTitle(kinds, ref.kind);
    if (!view.has(ref.kind, ref.id)) {
      const known = view.ids(ref.kind);
      const guess = didYouMean(ref.id, known);
      out.push(
        problem(
          'NX_ERR_DEF_UNKNOWN_REFERENCE',
          ref.pointer,
          text(
            `引用了不存在的${title['zh-CN']}“${ref.id}”`,
            `Refers to ${title.en} "${ref.id}", which does not exist`,
          ),
          text(
            guess ? `是否应为“${guess}”？` : `已有：${known.join('、') || '（无）'}`,
            guess ? `Did you mean "${guess}"?` : `Known: ${known.join(', ') || '(none)'}`,
          ),
          { file, params: { kind: ref.kind, id: ref.id, ...(guess ? { suggestion: guess } : {}) } },
        ),
      );
      continue;
    }
    for (const n of ref.names ?? []) {
      const known = view.names(ref.kind, ref.id, n.namespace);
      if (known === undefined || known.includes(n.name)) continue;
      const guess = didYouMean(n.name, known);
      out.push(
        problem(
          'NX_ERR_DEF_UNKNOWN_NAME',
          n.pointer,
          text(
            `${title['zh-CN']}“${ref.id}”的 ${n.namespace} 中没有“${n.name}”`,
            `${title.en} "${ref.id}" has no "${n.name}" among its ${n.namespace}`,
          ),
          text(
            guess ? `是否应为“${guess}”？` : `可用：${known.join('、') || '（无）'}`,
            guess ? `Did you mean "${guess}"?` : `Known: ${known.join(', ') || '(none)'}`,
          ),
          {
            file,
            params: { kind: ref.kind, id: ref.id, namespace: n.namespace, name: n.name },
          },
        ),
      );
    }
  }
  out.push(...(kind.check?.(value, view, ctx) ?? []));
  return out;
}
