import { type Command, Option } from 'commander';
import type { CliCommand } from '../command.ts';
import { type DemoLevel, loadDemoWhenEmpty } from '../server.ts';
import { demoLogins } from './demo.ts';
import { type ServeOptions, SYNCHRONOUS_HELP, serve } from './serve.ts';

export const command: CliCommand = {
  register(program: Command) {
    program
      .command('start')
      .description('一键启动 / serve with the embedded SQLite database, loading the demo when it is empty')
      .option('--port <port>', 'port (default: $PORT or 3000)')
      .option('--host <host>', 'address to bind (default: $HOST or 127.0.0.1)')
      .option('--db <url>', 'database URL or SQLite file (default: $DATABASE_URL or ./data/nuanxin.db)')
      .option('--config <file>', 'plugin configuration (default: ./nuanxin.config.json when present)')
      .option('--synchronous <level>', SYNCHRONOUS_HELP)
      .addOption(
        new Option(
          '--demo <level>',
          '空库时载入的演示数据 / demo loaded into an empty database: full (with the village casework) or basic (divisions, users, forms)',
        )
          .choices(['full', 'basic'])
          .default('full'),
      )
      .action(async (opts: ServeOptions & { demo: DemoLevel }) => {
        const demo = opts.demo;
        let loaded = false;
        const address = await serve(opts, async (db, plugins) => {
          loaded = await loadDemoWhenEmpty(db, plugins, (p) => process.stderr.write(`${p}\n`), { demo });
        });
        process.stdout.write(`\n暖心 Nuanxin: ${address}\nAPI 文档 / docs: ${address}/docs\n`);
        if (loaded) process.stdout.write('已载入演示数据 / demo data loaded\n');
        process.stdout.write(demoLogins());
        await new Promise(() => {});
      });
  },
};
