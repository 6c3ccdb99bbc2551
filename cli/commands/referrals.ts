import type { Command } from 'commander';
import {
  type Answer,
  answerReferral,
  assignDepartmentUser,
  createReferral,
  type Department,
  type ItemStatus,
  listReferrals,
  updateItem,
} from '../../plugins/crosschecks/index.ts';
import type { CliCommand } from '../command.ts';
import { answerWith, type CrosschecksOptions, run, withCommon } from '../crosschecks-context.ts';

/** `nuanxin referrals create|list|answer|item|department`: referrals (转介) for targeted assistance. */
export const command: CliCommand = {
  register(program: Command) {
    const referrals = program
      .command('referrals')
      .description('专项救助转介：新建、列表、答复、诉求事项 / referrals for targeted assistance');

    withCommon(referrals.command('create'))
      .option('--finding <id>', 'refer the family of this finding')
      .option('--case <id>', 'refer the family of this case (its requests become items)')
      .requiredOption('--department <dept>', 'medical, education, housing or employment')
      .option('--note <text>', 'what is asked')
      .option('--due-days <n>', 'days to answer', '30')
      .option('--item <text...>', 'the family’s requests, one item each')
      .description('转介一户到部门 / refer a family to a department')
      .action(
        run(
          (
            o: CrosschecksOptions & {
              finding?: string;
              case?: string;
              department: Department;
              note?: string;
              dueDays: string;
              item?: string[];
            },
          ) =>
            answerWith(o, ({ db, actor }) =>
              createReferral(db, actor, {
                ...(o.finding ? { findingId: o.finding } : {}),
                ...(o.case ? { caseId: o.case } : {}),
                department: o.department,
                ...(o.note ? { note: o.note } : {}),
                dueDays: Number(o.dueDays),
                ...(o.item ? { items: o.item } : {}),
              }),
            ),
        ),
      );

    withCommon(referrals.command('list'))
      .option('--status <status>', 'open, accepted, done or declined')
      .option('--department <dept>', 'medical, education, housing or employment')
      .description('转介列表 / list referrals')
      .action(
        run((o: CrosschecksOptions & { status?: string; department?: string }) =>
          answerWith(o, ({ db, actor }) =>
            listReferrals(db, actor, {
              ...(o.status ? { status: o.status } : {}),
              ...(o.department ? { department: o.department } : {}),
            }),
          ),
        ),
      );

    withCommon(referrals.command('answer').argument('<referral>'))
      .requiredOption('--status <status>', 'accepted, done or declined')
      .option('--answer <text>', 'the department’s answer (required to decline)')
      .description('部门答复或县级代录 / the department’s answer, or the county records it')
      .action(
        run((id: string, o: CrosschecksOptions & { status: Answer; answer?: string }) =>
          answerWith(o, ({ db, actor }) => answerReferral(db, actor, id, o.status, o.answer)),
        ),
      );

    withCommon(referrals.command('item').argument('<referral>').argument('<item>'))
      .requiredOption('--status <status>', 'open, in_progress, done or not_possible')
      .option('--note <text>')
      .description('诉求事项的状态 / the status of one request')
      .action(
        run((id: string, item: string, o: CrosschecksOptions & { status: ItemStatus; note?: string }) =>
          answerWith(o, ({ db, actor }) => updateItem(db, actor, id, item, o.status, o.note)),
        ),
      );

    withCommon(referrals.command('department').argument('<username>').argument('<department>'))
      .description('指定部门账号 / make a user the account of a department')
      .action(
        run((username: string, department: Department, o: CrosschecksOptions) =>
          answerWith(o, async ({ db, actor }) => {
            await assignDepartmentUser(db, actor, username, department);
            return { username, department };
          }),
        ),
      );
  },
};
