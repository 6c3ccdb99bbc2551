import { Type } from '@sinclair/typebox';
import type { Kysely } from 'kysely';
import { definePlugin, type EffectContext, type PluginDefinition } from '../../engine/entry/plugin.ts';
import { todayInChina } from '../../engine/entry/runtime.ts';
import type { Database } from '../../engine/entry/server.ts';
import { BUILT_IN } from '../built-in.ts';
import {
  type AmountRules,
  amountOf,
  applicationType,
  assess,
  DEFAULT_AMOUNT_RULES,
  householdOf,
} from './assess.ts';
import type { Deps, RegistersLike, RulesLike } from './deps.ts';
import { BENEFITS_CODES, benefitsError } from './errors.ts';
import { FAMILY_SOURCE, familyItems } from './family-source.ts';
import { addMonths, addMonthsToDay, monthOf } from './months.ts';
import { RECIPIENTS_SOURCE, recipientItems } from './recipients-source.ts';
import { benefitsSection, type RecordSectionHost } from './record-section.ts';
import { benefitRoutes } from './routes.ts';
import { benefitsService } from './service.ts';
import { BENEFITS_MIGRATIONS } from './tables.ts';
import { createBenefit, periodOf } from './write.ts';

export * from './assess.ts';
export * from './deps.ts';
export * from './errors.ts';
export * from './family-source.ts';
export * from './months.ts';
export * from './read.ts';
export * from './readers.ts';
export * from './recipients-source.ts';
export * from './record-section.ts';
export * from './service.ts';
export * from './tables.ts';
export * from './write.ts';

const AmountRule = Type.Object(
  {
    ruleset: Type.String({ description: 'The ruleset deciding the amount' }),
    output: Type.String({ description: 'Its output holding the monthly amount in yuan' }),
    requires: Type.Optional(
      Type.String({ description: 'An output that must be true for the amount to count (else it is 0)' }),
    ),
  },
  { additionalProperties: false },
);

export const BenefitsConfig = Type.Object(
  {
    applicationForm: Type.String({
      default: 'assistance-application',
      description: 'The application form: each one must name an active household of the register',
    }),
    workflow: Type.String({
      default: 'assistance-application',
      description: 'The approval workflow whose approvals are refused for a monthly amount of 0',
    }),
    amountRules: Type.Object(
      {
        dibao: AmountRule,
        tekun: AmountRule,
      },
      {
        default: DEFAULT_AMOUNT_RULES,
        additionalProperties: false,
        description:
          'Per monthly type, the ruleset and output giving the amount frozen at assessment and approval (临时救助 takes the amount requested)',
      },
    ),
    reviewMonths: Type.Integer({
      minimum: 1,
      maximum: 60,
      default: 12,
      description: 'A monthly benefit is to be reviewed this many months after approval',
    }),
  },
  { additionalProperties: false },
);

/**
 * The benefits plugin: what an approval decided a household receives (`benefits`, with its
 * history in `benefit_changes`), the service `benefits` payments are generated from, the effects
 * `benefits.assess` (the proposed amount, at the eligibility check) and `benefits.create` (the
 * benefit, at approval, in the approval's transaction), the check that an application names an
 * active household, and the change routes under `/api/plugins/benefits`.
 */
export function createBenefitsPlugin() {
  return definePlugin({
    name: 'benefits',
    ...BUILT_IN,
    dependsOn: ['rules', 'registers', 'report'],
    config: BenefitsConfig,
    errors: BENEFITS_CODES,
    description: {
      'zh-CN': '救助待遇：审批通过后生成，民政部门调整、暂停、恢复、终止',
      en: 'Benefits: created by approvals; civil affairs adjusts, suspends, resumes and stops them',
    },
    setup(api) {
      const cfg = api.config;
      const deps: Deps = {
        registers: api.services.use<RegistersLike & object>('registers'),
        rules: api.services.use<RulesLike & object>('rules'),
      };
      for (const [name, migration] of Object.entries(BENEFITS_MIGRATIONS))
        api.migrations.register(name, migration);
      api.services.provide(benefitsService);
      // The family's benefits on its household record page, under this plugin's rule of who reads them.
      api.services.use<RecordSectionHost>('registers').addRecordSection(benefitsSection);
      api.routes.register(benefitRoutes);
      // The current recipients (长期公示) as a report source: reports/recipients-notice.json.
      api.services
        .use<{ provideSource(s: { name: string; items: typeof recipientItems }): void }>('report')
        .provideSource({ name: RECIPIENTS_SOURCE, items: recipientItems });
      // What one family receives (幸福清单): reports/family-notice.json reads it as familyLines.
      api.services
        .use<{ provideSource(s: { name: string; items: typeof familyItems }): void }>('report')
        .provideSource({ name: FAMILY_SOURCE, items: familyItems });

      // An application opens for a household of the register, in the applicant unit's area.
      api.hooks.on('beforeSubmissionSave', async (p) => {
        if (p.formId !== cfg.applicationForm || !p.db) return undefined;
        if (p.data.headIdNumber === undefined || p.data.headIdNumber === '') return undefined;
        await householdOf(p.db, deps, p.data, p.orgCode);
        return undefined;
      });

      // No monthly benefit of 0: neither to public notice nor to approval (each signer is refused).
      api.hooks.on('beforeTransition', async (p) => {
        if (p.workflowId !== cfg.workflow || p.action !== 'approve') return undefined;
        const type = applicationType(p.data);
        if (!type || periodOf(type) !== 'monthly') return undefined;
        const rule = cfg.amountRules[type as keyof AmountRules];
        const frozen = (await deps.rules.latestOutputs(p.db, [p.caseId], rule.ruleset)).get(p.caseId);
        if (!frozen) return undefined;
        const now = await assess(p.db, deps, {
          applicationId: p.caseId,
          data: p.data,
          orgCode: p.orgCode,
          asOf: todayInChina(),
          amountRules: cfg.amountRules,
          store: false,
          actor: null,
        });
        if (amountOf(frozen, rule) <= 0 || now.amountCents <= 0) throw zeroAmount(now.asOf);
        return undefined;
      });

      api.effects.register({
        name: 'benefits.assess',
        description:
          "Fixes the proposed amount of an application: the rules' entitlement on the household's current survey as of today (stored under the application), or the one-off amount requested",
        async run(ctx) {
          const db = ctx.db;
          if (!db || ctx.submission.id === undefined) return { assessed: false, reason: 'no store' };
          const a = await assess(db, deps, {
            applicationId: ctx.submission.id,
            data: ctx.submission.data,
            orgCode: ctx.submission.orgUnit,
            asOf: todayInChina(Date.parse(ctx.now)),
            amountRules: cfg.amountRules,
            store: true,
            actor: ctx.actor?.id ?? null,
          });
          return {
            type: a.type,
            proposedAmount: a.amountCents / 100,
            decisionId: a.decisionId,
            asOf: a.asOf,
          };
        },
      });

      api.effects.register({
        name: 'benefits.create',
        description:
          "Creates the benefit of an approved application, in the approval's transaction: the rules' entitlement as of the approval date, frozen with its decision (a monthly amount of 0 is refused)",
        async run(ctx) {
          const db = ctx.db;
          if (!db || ctx.submission.id === undefined) return { created: false, reason: 'no store' };
          return createFromApproval(db, deps, ctx, {
            amountRules: cfg.amountRules,
            reviewMonths: cfg.reviewMonths,
          });
        },
      });
    },
  }) satisfies PluginDefinition<typeof BenefitsConfig>;
}

const zeroAmount = (asOf: string) =>
  benefitsError('NX_ERR_BENEFITS_ZERO_AMOUNT', {
    'zh-CN': `按 ${asOf} 的标准核定的月救助金额为 0（低保：家庭人均收入不低于低保标准；特困：没有生效的特困人员基本生活标准），不能批准按月发放的待遇；请驳回申请或复核家庭情况`,
    en: `The monthly entitlement under the standards of ${asOf} is 0 (dibao: income per person is not below the dibao standard; tekun: no tekun standard in force): a monthly benefit of 0 cannot be approved; reject the application or review the household`,
  });

async function createFromApproval(
  db: Kysely<Database>,
  deps: Deps,
  ctx: EffectContext,
  opts: { readonly amountRules: AmountRules; readonly reviewMonths: number },
): Promise<Record<string, unknown>> {
  const applicationId = ctx.submission.id as string;
  const approvedOn = todayInChina(Date.parse(ctx.now));
  const a = await assess(db, deps, {
    applicationId,
    data: ctx.submission.data,
    orgCode: ctx.submission.orgUnit,
    asOf: approvedOn,
    amountRules: opts.amountRules,
    store: true,
    actor: ctx.actor?.id ?? null,
  });
  if (a.amountCents <= 0) throw zeroAmount(a.asOf);
  const monthly = periodOf(a.type) === 'monthly';
  const headName =
    typeof a.household.properties.headName === 'string'
      ? a.household.properties.headName
      : String(ctx.submission.data.headName ?? '');
  const benefit = await createBenefit(db, {
    householdKey: a.household.key,
    headName,
    orgCode: a.household.ownerOrgCode,
    orgPath: a.household.ownerOrgPath,
    type: a.type,
    amountCents: a.amountCents,
    // Monthly benefits are paid from the month after approval; a one-off in its month.
    startMonth: monthly ? addMonths(monthOf(approvedOn), 1) : monthOf(approvedOn),
    nextReviewOn: monthly ? addMonthsToDay(approvedOn, opts.reviewMonths) : null,
    applicationId,
    caseId: ctx.caseId ?? applicationId,
    decisionId: a.decisionId,
    reason: '审批通过',
    actor: ctx.actor?.id ?? null,
    now: ctx.now,
  });
  return {
    benefitId: benefit.id,
    type: benefit.type,
    amount: benefit.amountCents / 100,
    startMonth: benefit.startMonth,
    decisionId: benefit.decisionId,
  };
}

export default createBenefitsPlugin();
