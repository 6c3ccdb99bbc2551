import type { FormDefinition } from '../definition/form-schema.ts';
import type { DefinitionKind } from '../definition/kind.ts';
import { loaded, rejected } from '../definition/problem.ts';
import { schemaProblems } from '../definition/schema-problems.ts';
import { loadOverlay } from './load-overlay.ts';
import { FormOverlay, FormOverlayShape } from './overlay-schema.ts';

/**
 * Overlays (a province's or city's changes to a base form) as a definition kind: the shape is
 * checked on its own; the operations are checked by applying them to the form they name.
 */
export const overlayKind: DefinitionKind<FormOverlay> = {
  name: 'overlay',
  folder: 'overlays',
  title: { 'zh-CN': '表单覆盖层', en: 'form overlay' },
  schema: FormOverlay,
  load(json, ctx) {
    const shape = schemaProblems(FormOverlayShape, json, ctx.file, { discriminator: 'op' });
    return shape.length > 0 ? rejected(shape) : loaded(json as FormOverlay);
  },
  idOf: () => undefined,
  references: (overlay) => [{ kind: 'form', id: overlay.form, pointer: '/form' }],
  check(overlay, view, ctx) {
    const base = view.get('form', overlay.form) as FormDefinition | undefined;
    return base ? loadOverlay(overlay, base, ctx).problems : [];
  },
};
