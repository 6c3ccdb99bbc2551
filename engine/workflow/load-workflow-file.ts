import { readJsonFile } from '../definition/load-file.ts';
import type { LoadResult } from '../definition/problem.ts';
import { type LoadWorkflowOptions, loadWorkflow } from './load-workflow.ts';
import type { WorkflowDefinition } from './workflow-schema.ts';

/** Reads and checks a workflow file (Node only); JSON syntax errors come back as problems with line and column. */
export function loadWorkflowFile(
  path: string,
  opts: Omit<LoadWorkflowOptions, 'file'> = {},
): LoadResult<WorkflowDefinition> {
  const json = readJsonFile(path);
  if (!json.ok) return json;
  return loadWorkflow(json.value, { ...opts, file: path });
}
