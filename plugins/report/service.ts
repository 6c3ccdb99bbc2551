import type { Kysely } from 'kysely';
import type { FormDefinition } from '../../engine/entry/definition.ts';
import { text } from '../../engine/entry/plugin.ts';
import { createLogicBudget, type OperationRegistry } from '../../engine/entry/runtime.ts';
import {
  type Database,
  getForm,
  getOrgUnit,
  type OrgUnit,
  type Principal,
} from '../../engine/entry/server.ts';
import type { ReportContext, ReportRequest } from './context.ts';
import { createDecisionProvider } from './decisions.ts';
import { reportError } from './errors.ts';
import type { ProvidedSource } from './provided-source.ts';
import type { ReportRegisters } from './registers-port.ts';
import type { ReportDefinition } from './report-schema.ts';
import type { ReportRules } from './rules-port.ts';
import { REPORT_FORMATS, type ReportFormat } from './run-report.ts';
import { TemplateStore } from './templates-store.ts';

/** Report definitions by id, the templates, and how to build a context: what routes and the CLI share. */
export interface ReportService {
  readonly templates: TemplateStore;
  list(): readonly ReportDefinition[];
  get(id: string): ReportDefinition;
  context(db: Kysely<Database>): ReportContext;
  /** The org unit a request names, which must lie in the viewer's subtree (else 404, like absent). */
  scopedOrg(db: Kysely<Database>, principal: Principal | null, code: string | undefined): Promise<OrgUnit>;
  request(
    org: OrgUnit,
    principal: Principal | null,
    period: string | undefined,
    asOf?: string | undefined,
  ): ReportRequest;
  format(f: string | undefined): ReportFormat;
}

export function createReportService(args: {
  reports: readonly ReportDefinition[];
  templates?: TemplateStore;
  /** The rules plugin's service: decisions stored, or evaluated for families without one. */
  rules?: ReportRules | undefined;
  operations?: OperationRegistry;
  /** Where form definitions come from when the database has none published (the seed files). */
  fallbackForms?: (id: string) => FormDefinition | undefined;
  now?: () => string;
  /** Sources other plugins provide (`source.provided`). */
  sources?: (name: string) => ProvidedSource | undefined;
  /** Logic steps one report request may spend over all its rows (default LOGIC_MAX_REQUEST_STEPS). */
  maxLogicSteps?: number;
  /** Hotline per org unit code (the nearest unit above a family wins). */
  contacts?: Readonly<Record<string, string>>;
  /** The registers plugin's service (lists over a register). */
  registers?: ReportRegisters | undefined;
}): ReportService {
  const byId = new Map(args.reports.map((r) => [r.id, r]));
  const templates = args.templates ?? new TemplateStore();
  return {
    templates,
    list: () => [...byId.values()],
    get(id) {
      const def = byId.get(id);
      if (!def)
        throw reportError('NX_ERR_REPORT_NOT_FOUND', text(`找不到报表“${id}”`, `Report "${id}" not found`));
      return def;
    },
    context(db) {
      // One budget per request: the routes make a context per request.
      const budget = createLogicBudget(args.maxLogicSteps);
      return {
        db,
        decisions: createDecisionProvider({ db, rules: args.rules, budget }),
        logicBudget: budget,
        forms: async (id) => (await getForm(db, id))?.definition ?? args.fallbackForms?.(id),
        now: args.now ?? (() => new Date().toISOString()),
        ...(args.sources ? { sources: args.sources } : {}),
        ...(args.operations ? { operations: args.operations } : {}),
        ...(args.contacts ? { contacts: args.contacts } : {}),
        ...(args.registers ? { registers: args.registers } : {}),
        ...(args.rules?.decisionJoin ? { decisionJoin: args.rules.decisionJoin.bind(args.rules) } : {}),
      };
    },
    async scopedOrg(db, principal, code) {
      const wanted = code ?? principal?.orgCode;
      if (!wanted) {
        throw reportError('NX_ERR_REPORT_BAD_REQUEST', text('请指定单位（org）', 'Name the org unit (org)'));
      }
      const unit = await getOrgUnit(db, wanted);
      if (!unit || (principal && !unit.path.startsWith(principal.orgPath))) {
        throw reportError(
          'NX_ERR_REPORT_NOT_FOUND',
          text(`找不到单位“${wanted}”`, `Org unit "${wanted}" not found`),
        );
      }
      return unit;
    },
    request(org, principal, period, asOf) {
      // No principal = the CLI run by an operator on the server: full view.
      return {
        org,
        period,
        ...(asOf !== undefined ? { asOf } : {}),
        viewer: { pii: principal ? principal.permissions.includes('pii') : true },
      };
    },
    format(f) {
      const v = f ?? 'json';
      if (!(REPORT_FORMATS as readonly string[]).includes(v)) {
        throw reportError(
          'NX_ERR_REPORT_BAD_REQUEST',
          text(`格式应为 ${REPORT_FORMATS.join('、')}`, `Format must be one of ${REPORT_FORMATS.join(', ')}`),
        );
      }
      return v as ReportFormat;
    },
  };
}
