import { fileURLToPath } from 'node:url';
import { readJsonFile, schemaProblems } from '../../engine/entry/definition.ts';
import { type LoadResult, loaded, rejected } from '../../engine/entry/plugin.ts';
import { ParameterFile, type ParameterRecord } from './parameters.ts';

/** Reads a parameter file (`{ "parameters": [ … ] }`), checked against its schema with pointers. */
export function loadParameterFile(path: string): LoadResult<ParameterRecord[]> {
  const read = readJsonFile(path);
  if (!read.ok) return read;
  const json = read.value;
  const problems = schemaProblems(ParameterFile, json, path);
  return problems.length > 0 ? rejected(problems) : loaded((json as ParameterFile).parameters);
}

/** The demo parameters shipped with the plugin (Sichuan, 2020–2021). */
export const DEMO_PARAMETERS_FILE = fileURLToPath(new URL('./params/demo-parameters.json', import.meta.url));
