/**
 * How a running server stops: on SIGINT, SIGTERM or SIGHUP it stops taking connections, lets the
 * requests under way finish and closes the database (`stop`), then exits 0; a second signal, or a
 * drain longer than `graceMs`, exits at once (1).
 *
 * Started through npm (`npm start`, `npx nuanxin start`) the server is a grandchild: npm runs
 * `sh -c "node cli/bin.mjs start"`, passes a SIGTERM to that shell, the shell dies and the server
 * would stay behind, orphaned and still holding the port. So under npm the server also watches its
 * parent and stops the same way when the parent is gone.
 */
export function stopOnSignals(
  stop: () => Promise<void>,
  opts: { log: (msg: string) => void; graceMs?: number; parentPollMs?: number },
): void {
  let stopping = false;
  const begin = (why: string) => {
    if (stopping) {
      opts.log(`${why} again: exiting now`);
      process.exit(1);
    }
    stopping = true;
    opts.log(`${why}: draining requests and closing the database`);
    const deadline = setTimeout(() => {
      opts.log('drain took too long: exiting');
      process.exit(1);
    }, opts.graceMs ?? 10_000);
    deadline.unref();
    stop().then(
      () => process.exit(0),
      (err: unknown) => {
        opts.log(`stopping failed: ${(err as Error)?.message ?? String(err)}`);
        process.exit(1);
      },
    );
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => begin(signal));

  const parent = process.ppid;
  if (process.env.npm_lifecycle_event && parent > 1) {
    const watch = setInterval(() => {
      if (process.ppid !== parent) {
        clearInterval(watch);
        begin('the npm process that started the server is gone');
      }
    }, opts.parentPollMs ?? 250);
    watch.unref();
  }
}
