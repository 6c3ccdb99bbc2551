import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { codes } from '../../../engine/errors/codes.ts';
import { builtinPlugins } from '../../../plugins/builtins.ts';

const FIXTURE = join(import.meta.dirname, '../../fixtures/snapshots/error-registry.json');

/** Every code of the engine and of each built-in plugin: status, both messages, hint where one is given. */
async function registry(): Promise<Record<string, unknown>> {
  const tables: [string, Readonly<Record<string, unknown>>][] = [['engine', codes]];
  for (const [name, load] of Object.entries(builtinPlugins).sort(([a], [b]) => a.localeCompare(b))) {
    const plugin = typeof load === 'function' ? await load() : load;
    if (plugin.errors) tables.push([name, plugin.errors]);
  }
  const out: Record<string, unknown> = {};
  for (const [owner, table] of tables) {
    for (const code of Object.keys(table).sort()) {
      const info = table[code] as { status: number; message: unknown; hint?: unknown };
      out[code] = { owner, status: info.status, message: info.message, hint: info.hint ?? null };
    }
  }
  return out;
}

describe('error registry snapshot', () => {
  it('every code keeps the owner, status, messages and hint it had when the snapshot was taken', async () => {
    const now = await registry();
    // Taking a new snapshot is a decision, made on purpose: NUANXIN_WRITE_SNAPSHOTS=1.
    if (process.env.NUANXIN_WRITE_SNAPSHOTS === '1')
      writeFileSync(FIXTURE, `${JSON.stringify(now, null, 2)}\n`);
    const before = JSON.parse(readFileSync(FIXTURE, 'utf8')) as Record<string, unknown>;
    expect(Object.keys(now).length).toBeGreaterThan(100);
    expect(now).toEqual(before);
  });
});
