import { existsSync } from 'node:fs';
import type { Kysely } from 'kysely';
import {
  type CreateDatabaseOptions,
  type Database,
  describeDatabase,
  migratePlugins,
  notWritable,
  resolveDatabaseUrl,
  writeFailureOf,
} from '../engine/entry/server.ts';
import { ENGINE_VERSION, type LoadedPlugins, loadPluginsFromFile, openDatabase } from '../engine/index.ts';
import { builtinPlugins } from '../plugins/builtins.ts';

/**
 * The plugins a command runs with: those of `--config`, else of `./nuanxin.config.json` when
 * present (none otherwise). Commands that open the database use `openWithPlugins`, so the
 * plugins' own tables exist wherever the core ones do.
 */
export async function configuredPlugins(config?: string): Promise<LoadedPlugins | undefined> {
  const path = config ?? (existsSync('nuanxin.config.json') ? 'nuanxin.config.json' : undefined);
  if (!path) return undefined;
  return loadPluginsFromFile(path, { engineVersion: ENGINE_VERSION, builtins: builtinPlugins });
}

/** Opens and migrates the database (core, then each plugin's tables). */
export async function openWithPlugins(
  dbOption: string | undefined,
  plugins: LoadedPlugins | undefined,
  opts: CreateDatabaseOptions = {},
): Promise<Kysely<Database>> {
  const db = await openDatabase(dbOption, opts);
  if (!plugins) return db;
  try {
    await migratePlugins(db, plugins);
  } catch (err) {
    await db.destroy();
    throw writeFailureOf(err) ? notWritable(describeDatabase(resolveDatabaseUrl(dbOption)), err) : err;
  }
  return db;
}
