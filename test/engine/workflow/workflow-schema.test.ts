import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Value } from '@sinclair/typebox/value';
import { describe, expect, it } from 'vitest';
import { WorkflowDefinition, workflowJsonSchema } from '../../../engine/workflow/workflow-schema.ts';
import { readJson } from './fixtures.ts';

describe('workflow JSON Schema', () => {
  it('schemas/workflow.schema.json is the one the TypeBox schema produces (regenerate with workflowJsonSchema())', () => {
    const file = JSON.parse(
      readFileSync(join(import.meta.dirname, '../../../schemas/workflow.schema.json'), 'utf8'),
    );
    expect(file).toEqual(workflowJsonSchema());
  });

  it('the shipped workflows match the schema and name it', () => {
    for (const name of ['assistance-application', 'statistics-report']) {
      const wf = readJson(`workflows/${name}.json`) as { $schema?: string };
      expect(Value.Check(WorkflowDefinition, wf), name).toBe(true);
      expect(wf.$schema).toBe('../schemas/workflow.schema.json');
    }
  });
});
