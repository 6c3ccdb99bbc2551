import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The shipped definitions as fresh copies, for tests that seed one mistake in one of them and
 * write it out where `nuanxin validate` reads it. Each call returns a new deep copy.
 */
// biome-ignore lint/suspicious/noExplicitAny: a definition under test is edited freely, mistakes included
export type Definition = Record<string, any>;

const ROOT = join(import.meta.dirname, '..', '..');

const SHIPPED = {
  'household-survey': 'forms/household-survey.json',
  'visit-statistics': 'forms/visit-statistics.json',
  'assistance-application': 'workflows/assistance-application.json',
  /** The approval path as it ran on the survey itself, with finance and bank steps: an engine fixture (countersign, timer, money inputs). */
  'survey-approval-fixture': 'test/fixtures/workflows/assistance-application.json',
  'household-eligibility': 'plugins/rules/rulesets/household-eligibility.json',
  'household-eligibility.cases': 'plugins/rules/rulesets/household-eligibility.cases.json',
  'approved-list': 'plugins/report/reports/approved-list.json',
  'visit-statistics-report': 'plugins/report/reports/visit-statistics.json',
  'low-income-roster': 'plugins/report/reports/low-income-roster.json',
} as const;

export type ShippedDefinition = keyof typeof SHIPPED;

export function shipped(name: ShippedDefinition): Definition {
  return JSON.parse(readFileSync(join(ROOT, SHIPPED[name]), 'utf8')) as Definition;
}

/** Writes a definition as `<tmp>/<folder>/<name>.json` (the folder tells its kind) and returns the path. */
export function writeDefinition(
  folder: string,
  name: string,
  def: unknown,
  dir = mkdtempSync(join(tmpdir(), 'nx-def-')),
): string {
  mkdirSync(join(dir, folder), { recursive: true });
  const path = join(dir, folder, `${name}.json`);
  writeFileSync(path, `${JSON.stringify(def, null, 2)}\n`);
  return path;
}
