import type { Command } from 'commander';
import { getOrgUnit } from '../../engine/entry/server.ts';
import {
  type CloseAction,
  closeFinding,
  crosschecksError,
  crosschecksReport,
  listFindings,
} from '../../plugins/crosschecks/index.ts';
import type { CliCommand } from '../command.ts';
import { answerWith, type CrosschecksOptions, run, withCommon } from '../crosschecks-context.ts';

interface ListOptions extends CrosschecksOptions {
  status?: 'open' | 'closed';
  type?: string;
  severity?: string;
  org?: string;
  overdue?: boolean;
  order?: 'id' | 'due';
  after?: string;
  limit: string;
}

/** `nuanxin findings list|close|report`: the cross-checks' findings as work for the villages. */
export const command: CliCommand = {
  register(program: Command) {
    const findings = program
      .command('findings')
      .description('比对问题：列表、关闭、统计 / findings of the cross-checks: list, close, report');

    withCommon(findings.command('list'))
      .option('--status <status>', 'open or closed')
      .option('--type <type>', 'survey, review, correct, suspend-benefit, re-decide …')
      .option('--severity <severity>', 'high, medium or low')
      .option('--org <code>', 'only this unit’s subtree')
      .option('--overdue', 'only open findings past their due date')
      .option('--order <order>', 'id (default) or due (due date, then id)')
      .option('--after <id>', 'the last id of the previous page (its `next`)')
      .option('--limit <n>', 'per page (1–500)', '50')
      .description('列出比对问题 / list findings')
      .action(
        run((o: ListOptions) =>
          answerWith(o, async ({ db, actor }) => {
            const unit = o.org ? await getOrgUnit(db, o.org) : undefined;
            return listFindings(db, actor, {
              ...(o.status ? { status: o.status } : {}),
              ...(o.type ? { type: o.type } : {}),
              ...(o.severity ? { severity: o.severity } : {}),
              ...(unit ? { orgPath: unit.path } : {}),
              ...(o.overdue ? { overdue: true } : {}),
              ...(o.order ? { order: o.order } : {}),
              ...(o.after ? { after: o.after } : {}),
              limit: Number(o.limit),
            });
          }),
        ),
      );

    withCommon(findings.command('close').argument('<finding>', 'finding id'))
      .requiredOption('--action <action>', 'corrected, not_applicable or survey_done')
      .option('--reason <text>', 'why (required for not_applicable)')
      .description('关闭比对问题 / close a finding')
      .action(
        run((id: string, o: CrosschecksOptions & { action: CloseAction; reason?: string }) =>
          answerWith(o, ({ db, actor }) => closeFinding(db, actor, id, o.action, o.reason)),
        ),
      );

    withCommon(findings.command('report'))
      .option('--org <code>', 'the unit (default: the top of the tree, or the --as user’s unit)')
      .description('按单位与类型统计比对问题与转介 / findings and referrals per unit and type')
      .action(
        run((o: CrosschecksOptions & { org?: string }) =>
          answerWith(o, async ({ db, actor }) => {
            const code =
              o.org ??
              actor.orgPath.split('/').filter(Boolean).at(-1) ??
              (
                await db
                  .selectFrom('org_units')
                  .select('code')
                  .where('parent_code', 'is', null)
                  .orderBy('code')
                  .executeTakeFirst()
              )?.code;
            const unit = code ? await getOrgUnit(db, code) : undefined;
            if (!unit?.path.startsWith(actor.orgPath)) {
              throw crosschecksError('NX_ERR_CROSSCHECKS_NOT_FOUND', {
                'zh-CN': `单位“${code}”不存在或不在您的管辖范围内`,
                en: `Unit "${code}" does not exist or is outside your unit`,
              });
            }
            return crosschecksReport(db, unit.code);
          }),
        ),
      );
  },
};
