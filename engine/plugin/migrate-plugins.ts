import { type Kysely, type MigrationResult, Migrator } from 'kysely';
import type { Database } from '../store/schema.ts';
import type { LoadedPlugins } from './load-plugins.ts';

/**
 * Plugins' tables. Each plugin's migrations are tracked in a table of its own
 * (`nx_migrations_plugin_<name>`), not beside the core ones: Kysely refuses to migrate when a
 * migration it ran before is missing, so a shared table would break every command that opens
 * the database without the plugins (or after one is switched off), and a plugin's names would
 * have to sort after every later core migration.
 */

export interface PluginMigrationResult extends MigrationResult {
  readonly pluginName: string;
}

/** The table that tracks one plugin's migrations (`nuanxin doctor` reads it too). */
export const tableOf = (pluginName: string) =>
  `nx_migrations_plugin_${pluginName.replace(/[^a-z0-9]/g, '_')}`;

/** Brings every loaded plugin's tables up to date, plugin by plugin in set-up order; returns what ran. */
export async function migratePlugins(
  db: Kysely<Database>,
  loaded: Pick<LoadedPlugins, 'migrations'>,
): Promise<PluginMigrationResult[]> {
  const out: PluginMigrationResult[] = [];
  for (const { pluginName, migrations } of loaded.migrations) {
    if (Object.keys(migrations).length === 0) continue;
    const table = tableOf(pluginName);
    const migrator = new Migrator({
      db,
      provider: { getMigrations: async () => migrations },
      migrationTableName: table,
      migrationLockTableName: `${table}_lock`,
    });
    const { error, results } = await migrator.migrateToLatest();
    if (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(`plugin ${pluginName}: migration failed: ${reason}`, { cause: error });
    }
    for (const r of results ?? []) out.push({ ...r, pluginName });
  }
  return out;
}

/** Runs the plugins' seeds (after `migratePlugins`); returns one summary line per seed. */
export async function runPluginSeeds(
  db: Kysely<Database>,
  loaded: Pick<LoadedPlugins, 'seeds'>,
): Promise<string[]> {
  const lines: string[] = [];
  for (const { pluginName, seed } of loaded.seeds) {
    const summary = await seed.run(db);
    lines.push(`${pluginName}/${seed.name}${summary ? `: ${summary}` : ''}`);
  }
  return lines;
}
