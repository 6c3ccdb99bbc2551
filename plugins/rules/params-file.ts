import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type LoadResult, loaded, problem, rejected, schemaProblems, text } from '../../engine/index.ts';
import { ParameterFile, type ParameterRecord } from './parameters.ts';

/** Reads a parameter file (`{ "parameters": [ … ] }`), checked against its schema with pointers. */
export function loadParameterFile(path: string): LoadResult<ParameterRecord[]> {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    return rejected([
      problem(
        'NX_ERR_RULES_INVALID_PARAMETER',
        '',
        text(`无法读取参数文件：${reason}`, `Cannot read the parameter file: ${reason}`),
        text('检查文件路径和 JSON 语法', 'Check the path and the JSON syntax'),
        { file: path },
      ),
    ]);
  }
  const problems = schemaProblems(ParameterFile, json, path);
  return problems.length > 0 ? rejected(problems) : loaded((json as ParameterFile).parameters);
}

/** The demo parameters shipped with the plugin (Sichuan, 2020–2021). */
export const DEMO_PARAMETERS_FILE = fileURLToPath(new URL('./params/demo-parameters.json', import.meta.url));
