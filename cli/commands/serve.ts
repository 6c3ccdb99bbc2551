import type { Command } from 'commander';
import type { CliCommand } from '../command.ts';
import { createServer, type ServerSetup } from '../server.ts';
import { stopOnSignals } from '../shutdown.ts';

/** The help line of `--synchronous` (serve and start). */
export const SYNCHRONOUS_HELP =
  'SQLite 落盘级别 FULL|NORMAL|OFF / SQLite durability level (default: $NUANXIN_SQLITE_SYNCHRONOUS or FULL; see README)';

export interface ServeOptions {
  port?: string;
  host?: string;
  db?: string;
  config?: string;
  synchronous?: string;
}

/** Opens the database, migrates it, listens, and drains and closes on SIGINT/SIGTERM/SIGHUP (`stopOnSignals`). Returns the address. */
export async function serve(opts: ServeOptions, before?: ServerSetup['before']): Promise<string> {
  const { app, db } = await createServer({
    db: opts.db,
    config: opts.config,
    synchronous: opts.synchronous,
    logger: { level: process.env.LOG_LEVEL ?? 'info' },
    before,
  });
  stopOnSignals(
    async () => {
      await app.close();
      await db.destroy();
    },
    { log: (msg) => app.log.info(msg) },
  );
  const port = Number(opts.port ?? process.env.PORT ?? 3000);
  const host = opts.host ?? process.env.HOST ?? '127.0.0.1';
  await app.listen({ port, host });
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

export const command: CliCommand = {
  register(program: Command) {
    program
      .command('serve')
      .description('启动 HTTP 服务 / serve the HTTP API (docs at /docs)')
      .option('--port <port>', 'port (default: $PORT or 3000)')
      .option('--host <host>', 'address to bind (default: $HOST or 127.0.0.1)')
      .option('--db <url>', 'database URL or SQLite file (default: $DATABASE_URL or ./data/nuanxin.db)')
      .option('--config <file>', 'plugin configuration (default: ./nuanxin.config.json when present)')
      .option('--synchronous <level>', SYNCHRONOUS_HELP)
      .action(async (opts: ServeOptions) => {
        const address = await serve(opts);
        process.stdout.write(`暖心 Nuanxin: ${address}  (API docs: ${address}/docs)\n`);
        await new Promise(() => {}); // keep running until a signal
      });
  },
};
