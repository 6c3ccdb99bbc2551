import { formKind } from '../definition/form-kind.ts';
import type { DefinitionKind } from '../definition/kind.ts';
import { overlayKind } from '../forms/overlay-kind.ts';
import type { EffectRegistry } from '../workflow/effects.ts';
import { workflowKind } from '../workflow/workflow-kind.ts';

/** The engine's own kinds of definition files; workflows are checked against `effects`. */
export const coreDefinitionKinds = (effects?: EffectRegistry): DefinitionKind[] => [
  formKind as DefinitionKind,
  overlayKind as DefinitionKind,
  workflowKind(effects) as DefinitionKind,
];
