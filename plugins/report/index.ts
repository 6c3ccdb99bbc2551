import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Type } from '@sinclair/typebox';
import type { FormDefinition } from '../../engine/entry/definition.ts';
import { definePlugin, type PluginDefinition } from '../../engine/entry/plugin.ts';
import { LOGIC_MAX_REQUEST_STEPS } from '../../engine/entry/runtime.ts';
import { REPORT_CODES } from './errors.ts';
import { loadReportsDir } from './load-report.ts';
import { createProvidedSources, type ProvidedSource, type ReportSources } from './provided-source.ts';
import type { ReportRegisters } from './registers-port.ts';
import { reportKind } from './report-kind.ts';
import { reportRoutes } from './routes.ts';
import type { ReportRules } from './rules-port.ts';
import { createReportService, type ReportService } from './service.ts';
import { BUILTIN_TEMPLATES_DIR, TemplateStore } from './templates-store.ts';

export * from './aggregate-report.ts';
export * from './context.ts';
export * from './csv.ts';
export * from './decisions.ts';
export * from './document-report.ts';
export * from './errors.ts';
export * from './html-writer.ts';
export * from './list-report.ts';
export * from './load-report.ts';
export * from './measures.ts';
export * from './org-tree.ts';
export * from './provided-source.ts';
export * from './registers-port.ts';
export * from './report-kind.ts';
export * from './report-schema.ts';
export * from './routes.ts';
export * from './rules-port.ts';
export * from './run-report.ts';
export * from './service.ts';
export * from './source.ts';
export * from './status-report.ts';
export * from './table.ts';
export * from './templates-store.ts';
export * from './xlsx.ts';

/** The report definitions that ship with the plugin. */
export const BUILTIN_REPORTS_DIR = fileURLToPath(new URL('./reports/', import.meta.url));
const FORMS_DIR = fileURLToPath(new URL('../../forms/', import.meta.url));

/** The seed forms from `forms/`, used when the database has no published version of a form. */
export function seedForm(id: string): FormDefinition | undefined {
  try {
    return JSON.parse(readFileSync(join(FORMS_DIR, `${id}.json`), 'utf8')) as FormDefinition;
  } catch {
    return undefined;
  }
}

export const ReportConfig = Type.Object(
  {
    reportsDir: Type.String({
      default: BUILTIN_REPORTS_DIR,
      description: 'Folder of report definitions (*.json)',
    }),
    templatesDir: Type.Optional(
      Type.String({
        description: 'Folder of templates that override the built-in ones (per org: <code>/<name>.hbs)',
      }),
    ),
    contacts: Type.Optional(
      Type.Record(
        Type.String({ pattern: '^\\d{6}(\\d{3}){0,2}$' }),
        Type.String({ minLength: 3, maxLength: 40 }),
        {
          description:
            'Consultation and complaint hotline (咨询和投诉举报电话) per org unit code; a notice prints the one of the nearest unit above the family',
        },
      ),
    ),
    maxLogicSteps: Type.Integer({
      minimum: 1,
      default: LOGIC_MAX_REQUEST_STEPS,
      description:
        'Logic steps one report request may spend over all its rows (filter, columns, measures); past it the request fails with NX_ERR_LOGIC_BUDGET_EXCEEDED',
    }),
  },
  { additionalProperties: false },
);

/**
 * Builds the service from a config (the plugin's setup and the CLI share it). Decisions come from
 * `rules`, the rules plugin's service; without it, reports that read decisions find none.
 */
export function reportServiceFromConfig(
  config: {
    reportsDir?: string;
    templatesDir?: string | undefined;
    maxLogicSteps?: number;
    contacts?: Readonly<Record<string, string>> | undefined;
  },
  rules?: ReportRules,
  sources?: (name: string) => ProvidedSource | undefined,
  registers?: ReportRegisters,
): ReportService {
  const reports = loadReportsDir(resolve(config.reportsDir ?? BUILTIN_REPORTS_DIR));
  const roots = [...(config.templatesDir ? [resolve(config.templatesDir)] : []), BUILTIN_TEMPLATES_DIR];
  return createReportService({
    reports,
    templates: new TemplateStore(roots),
    ...(rules ? { rules } : {}),
    ...(config.maxLogicSteps !== undefined ? { maxLogicSteps: config.maxLogicSteps } : {}),
    ...(config.contacts ? { contacts: config.contacts } : {}),
    fallbackForms: seedForm,
    ...(sources ? { sources } : {}),
    ...(registers ? { registers } : {}),
  });
}

/**
 * The report plugin: report definitions, templates and the API area `/api/reports`.
 */
export function createReportPlugin() {
  let service: ReportService | undefined;
  const plugin = definePlugin({
    name: 'report',
    version: '0.1.0',
    engine: '^0.1.0',
    // Decisions (the roster, the notice) come from the rules plugin's service.
    dependsOn: ['rules'],
    // Lists over a register (the 附件3 roster) read it through its service when it is loaded.
    optionalDependsOn: ['registers'],
    errors: REPORT_CODES,
    config: ReportConfig,
    description: {
      'zh-CN': '报表：逐级汇总、低收入名册、发放名单、打印文书与导出',
      en: 'Reports: hierarchy roll-ups, the low-income roster, payment lists, printable documents and exports',
    },
    setup(api) {
      api.definitions.register(reportKind(resolve(api.config.reportsDir)));
      // Other plugins add sources (e.g. payments' batch lines) through this service.
      const sources = createProvidedSources();
      api.services.provide({ provideSource: sources.provideSource } satisfies ReportSources);
      const svc = reportServiceFromConfig(
        api.config,
        api.services.use<ReportRules>('rules'),
        sources.get,
        api.services.find<ReportRegisters>('registers'),
      );
      service = svc;
      api.routes.mount('reports', reportRoutes(svc));
      api.log.info('reports loaded', { reports: svc.list().map((r) => r.id) });
    },
  });
  return Object.assign(plugin, {
    service: () => service,
  }) satisfies PluginDefinition<typeof ReportConfig>;
}

export default createReportPlugin();
