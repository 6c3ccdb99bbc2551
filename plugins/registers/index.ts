import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Type } from '@sinclair/typebox';
import type { Kysely } from 'kysely';
import { definePlugin, type PluginDefinition } from '../../engine/entry/plugin.ts';
import type { Database } from '../../engine/entry/server.ts';
import { BUILT_IN } from '../built-in.ts';
import { REGISTERS_CODES } from './errors.ts';
import { formsOfDir, loadRegistersDir } from './load-register.ts';
import { createRecordSections } from './record-sections.ts';
import { registerKind } from './register-kind.ts';
import type { RegisterDefinition } from './register-schema.ts';
import { registerRoutes } from './routes.ts';
import { registersService } from './service.ts';
import { REGISTERS_MIGRATIONS } from './tables.ts';
import { ensureRegisterTable } from './typed-table.ts';
import { type Binding, writeFromSubmission } from './write-hook.ts';

export * from './actions.ts';
export * from './apply.ts';
export * from './as-of.ts';
export * from './errors.ts';
export * from './events.ts';
export * from './load-register.ts';
export * from './read.ts';
export * from './rebuild.ts';
export * from './record-sections.ts';
export * from './register-kind.ts';
export * from './register-schema.ts';
export * from './service.ts';
export * from './tables.ts';
export * from './typed-table.ts';
export * from './values.ts';
export * from './when.ts';
export * from './write-hook.ts';

/** The registers that ship with Nuanxin (`registers/*.json` at the top of the project). */
export const BUILTIN_REGISTERS_DIR = fileURLToPath(new URL('../../registers/', import.meta.url));
/** The forms the built-in registers are bound to. */
export const BUILTIN_FORMS_DIR = fileURLToPath(new URL('../../forms/', import.meta.url));

export const RegistersConfig = Type.Object(
  {
    registersDir: Type.String({
      default: BUILTIN_REGISTERS_DIR,
      description: 'Folder of register definitions (*.json)',
    }),
    formsDir: Type.String({
      default: BUILTIN_FORMS_DIR,
      description:
        'Folder of the forms the registers are bound to (checked against the bindings at start-up)',
    }),
  },
  { additionalProperties: false },
);

/** Loads the definitions of a folder, checked against the forms of another. */
export function loadRegisters(
  registersDir = BUILTIN_REGISTERS_DIR,
  formsDir = BUILTIN_FORMS_DIR,
): RegisterDefinition[] {
  return loadRegistersDir(resolve(registersDir), formsOfDir(resolve(formsDir)));
}

/** Creates or extends every register's table (idempotent). */
export async function ensureRegisterTables(
  db: Kysely<Database>,
  defs: readonly RegisterDefinition[],
): Promise<void> {
  for (const def of defs) await ensureRegisterTable(db, def);
}

/**
 * The registers plugin: definitions from `registers/`, the tables (fixed ones by migration, each
 * register's typed table generated from its definition), the save hook that turns submissions
 * into record versions, and the API under `/api/registers`.
 */
export function createRegistersPlugin() {
  return definePlugin({
    name: 'registers',
    ...BUILT_IN,
    config: RegistersConfig,
    errors: REGISTERS_CODES,
    description: {
      'zh-CN': '登记簿：家庭户与人员的历次记录、冲突、重复与迁移',
      en: 'Registers: households and people as records over time, with conflicts, duplicates and transfers',
    },
    setup(api) {
      const defs = loadRegisters(api.config.registersDir, api.config.formsDir);
      api.definitions.register(registerKind(resolve(api.config.registersDir)));
      for (const [name, migration] of Object.entries(REGISTERS_MIGRATIONS))
        api.migrations.register(name, migration);

      const byForm = new Map<string, Binding[]>();
      for (const def of defs) {
        for (const binding of def.forms) {
          const list = byForm.get(binding.form) ?? [];
          list.push({ def, binding });
          byForm.set(binding.form, list);
        }
      }
      // The typed tables are made when the server starts (outside any save); until then — a
      // command that saves without the server, such as an import — each save checks them in
      // its own transaction (one read once they exist).
      let ready: Promise<void> | undefined;
      const ensure = (db: Kysely<Database>) => {
        ready ??= ensureRegisterTables(db, defs).catch((err: unknown) => {
          ready = undefined;
          throw err;
        });
        return ready;
      };
      let started = false;
      api.hooks.on('afterSubmissionSave', async (p) => {
        const bindings = byForm.get(p.formId);
        if (!bindings || !p.db) return;
        if (!started) await ensureRegisterTables(p.db, defs);
        for (const b of bindings) await writeFromSubmission(p.db, b, p);
      });
      const onStart = async (db: Kysely<Database>) => {
        await ensure(db);
        started = true;
      };
      // Filled by dependants' setup (after this one), read on each record's answer.
      const sections = createRecordSections();
      const service = registersService(defs, ensure, sections);
      api.routes.mount('registers', registerRoutes(defs, onStart, service));
      api.services.provide(service);
      api.log.info('registers loaded', { registers: defs.map((d) => d.id) });
    },
  }) satisfies PluginDefinition<typeof RegistersConfig>;
}

export default createRegistersPlugin();
