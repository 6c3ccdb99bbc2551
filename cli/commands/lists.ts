import type { Command } from 'commander';
import type { CliCommand } from '../command.ts';
import {
  answerWith,
  type CrosschecksOptions,
  openCrosschecks,
  print,
  run,
  withCommon,
} from '../crosschecks-context.ts';
import { writeErrorReport } from '../import/error-report.ts';
import { fileRecords } from '../import/validated-rows.ts';

/**
 * `nuanxin lists`: the department lists, a delivery's import (CSV or XLSX, per-row errors like
 * `nuanxin import`, the same file twice recognised) and a comparison run again.
 */
export const command: CliCommand = {
  register(program: Command) {
    const lists = program
      .command('lists')
      .description(
        '部门比对名单：列表、导入、再比对 / department lists: show, import a delivery, compare again',
      );

    withCommon(lists.command('show'))
      .description('已定义的名单与比对规则 / the lists and their comparisons')
      .action(
        run(async (o: CrosschecksOptions) => {
          const { db, catalog } = await openCrosschecks(o);
          await db.destroy();
          for (const l of catalog.lists) {
            const cmps = catalog.comparisons.filter((c) => c.list === l.id).map((c) => c.id);
            process.stdout.write(
              `${l.id}\t${l.department.name['zh-CN']}\t${l.title['zh-CN']} / ${l.title.en}\t${cmps.join(',')}\n`,
            );
          }
        }),
      );

    withCommon(
      lists
        .command('import')
        .argument('<list>', 'list id, e.g. prr-monitoring')
        .argument('<file>', 'CSV or XLSX'),
    )
      .requiredOption('--org <code>', 'the unit the delivery is for (e.g. a county)')
      .option('--errors <file>', 'write refused values to this CSV (row, column, code, message)')
      .option('--today <date>', 'the day of the run (YYYY-MM-DD; default today in China)')
      .description('导入一次名单交付并比对 / import a delivery and run its comparisons')
      .action(
        run(
          async (
            id: string,
            file: string,
            o: CrosschecksOptions & { org: string; errors?: string; today?: string },
          ) => {
            const { db, catalog, actor } = await openCrosschecks(o);
            try {
              const r = await catalog.deliver(db, id, actor, {
                orgCode: o.org,
                fileName: file.split(/[\\/]/).at(-1) ?? file,
                rows: () => fileRecords(file, { read: 0 }),
                ...(o.today ? { today: o.today } : {}),
              });
              if (o.errors) await writeErrorReport(o.errors, r.errors);
              print({ ...r, errors: o.errors ? r.errors.length : r.errors.slice(0, 20) });
              if (r.rejected > 0) process.exitCode = 1;
            } finally {
              await db.destroy();
            }
          },
        ),
      );

    withCommon(lists.command('compare').argument('<list>').argument('<delivery>', 'delivery id'))
      .option('--today <date>', 'the day of the run (YYYY-MM-DD)')
      .description('对一次交付再次比对（幂等）/ run a delivery’s comparisons again (idempotent)')
      .action(
        run((id: string, delivery: string, o: CrosschecksOptions & { today?: string }) =>
          answerWith(o, ({ db, catalog, actor }) => catalog.rerun(db, id, delivery, actor, o.today)),
        ),
      );
  },
};
