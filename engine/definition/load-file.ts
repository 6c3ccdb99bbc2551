import { readFileSync } from 'node:fs';
import { text } from '../i18n.ts';
import { jsonErrorOffset } from './json-error-offset.ts';
import { type LoadResult, loaded, problem, rejected } from './problem.ts';

/**
 * Reads a JSON definition file. A syntax error becomes a Problem `NX_ERR_DEF_JSON_SYNTAX` with
 * the line and column (1-based), so an administrator editing by hand can find the typo.
 * Node-only (reads the disk); the rest of `engine/definition` works in a browser.
 */
export function readJsonFile(path: string): LoadResult<unknown> {
  let source: string;
  try {
    source = readFileSync(path, 'utf8');
  } catch (err) {
    const reason = (err as { code?: string }).code ?? String(err);
    return rejected([
      problem(
        'NX_ERR_DEF_FILE_READ',
        '',
        text(`无法读取文件（${reason}）`, `Cannot read the file (${reason})`),
        text('检查路径和读取权限', 'Check the path and read permission'),
        { file: path, params: { reason } },
      ),
    ]);
  }
  return parseJson(source, path);
}

/** Parses JSON text; see `readJsonFile`. Works anywhere (no Node built-ins). */
export function parseJson(source: string, file?: string): LoadResult<unknown> {
  // A byte-order mark is invisible in editors and JSON.parse rejects it: drop it silently.
  const body = source.charCodeAt(0) === 0xfeff ? source.slice(1) : source;
  try {
    return loaded(JSON.parse(body) as unknown);
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    const { line, column } = locate(body, detail);
    return rejected([
      problem(
        'NX_ERR_DEF_JSON_SYNTAX',
        '',
        text(
          `JSON 语法错误（第 ${line} 行第 ${column} 列）：${detail}`,
          `JSON syntax error at line ${line}, column ${column}: ${detail}`,
        ),
        text(
          '检查该位置附近是否缺少逗号、引号或括号，或多了结尾逗号（JSON 不允许注释和结尾逗号）',
          'Look for a missing comma, quote or bracket, or a trailing comma, near that place (JSON allows no comments or trailing commas)',
        ),
        { file, params: { line, column } },
      ),
    ]);
  }
}

/** Line and column of a JSON.parse failure; engines report either a position or a line/column. */
function locate(source: string, message: string): { line: number; column: number } {
  const lc = /line (\d+) column (\d+)/.exec(message);
  if (lc) return { line: Number(lc[1]), column: Number(lc[2]) };
  const pos = /position (\d+)/.exec(message);
  const scanned = pos ? -1 : jsonErrorOffset(source);
  const offset = pos ? Number(pos[1]) : scanned >= 0 ? scanned : source.length;
  return lineColumn(source, offset);
}

/** 1-based line and column of a character offset. */
export function lineColumn(source: string, offset: number): { line: number; column: number } {
  const before = source.slice(0, Math.min(offset, source.length));
  const lines = before.split('\n');
  return { line: lines.length, column: (lines.at(-1)?.length ?? 0) + 1 };
}
