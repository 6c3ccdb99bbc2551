import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO_PARAMETERS_FILE, loadParameterFile } from '../../plugins/rules/index.ts';
import { runMain } from './run-main.ts';

process.env.NUANXIN_SCRYPT_LOG2N ??= '10';

const dir = mkdtempSync(join(tmpdir(), 'nx-params-cli-'));
const config = join(dir, 'nuanxin.config.json');
writeFileSync(config, JSON.stringify({ plugins: ['rules'] }));

type Listed = {
  items: { name: string; orgCode: string; area: string | null; validFrom: string; value: number }[];
};

describe('nuanxin params and the demo', () => {
  it('an empty database lists no parameters', async () => {
    const r = await runMain(['params', 'list', '--db', join(dir, 'empty.db')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('no parameters stored');
  });

  it('nuanxin demo loads the demo standards through the rules plugin’s seed, once', async () => {
    const db = join(dir, 'demo.db');
    const demo = await runMain(['demo', '--db', db, '--config', config]);
    expect(demo.code, demo.stderr).toBe(0);
    expect(demo.stdout).toContain('rules/demo-parameters');

    const file = loadParameterFile(DEMO_PARAMETERS_FILE);
    if (!file.ok) throw new Error('demo parameter file');
    const list = await runMain(['params', 'list', '--json', '--db', db]);
    const items = (JSON.parse(list.stdout) as Listed).items;
    const key = (p: {
      name: string;
      orgCode: string;
      area: string | null;
      validFrom: string;
      value: number;
    }) => `${p.name}|${p.orgCode}|${p.area}|${p.validFrom}|${p.value}`;
    expect(items.map(key).sort()).toEqual(file.value.map(key).sort());

    // A second run keeps what is stored (an administrator may have changed it since).
    await runMain([
      'params',
      'set',
      'dibao_standard',
      '999',
      '--org',
      '510000',
      '--from',
      '2021-07-01',
      '--area',
      'urban',
      '--db',
      db,
    ]);
    const again = await runMain(['demo', '--db', db, '--config', config]);
    expect(again.stdout).toContain('kept the parameters already stored');
    const after = (
      JSON.parse(
        (
          await runMain([
            'params',
            'list',
            '--json',
            '--name',
            'dibao_standard',
            '--org',
            '510000',
            '--db',
            db,
          ])
        ).stdout,
      ) as Listed
    ).items;
    expect(after.find((p) => p.area === 'urban' && p.validFrom === '2021-07-01')?.value).toBe(999);
  });

  it('refuses a bad area and a bad date', async () => {
    const db = join(dir, 'demo.db');
    const area = await runMain([
      'params',
      'set',
      'x',
      '1',
      '--org',
      '510000',
      '--from',
      '2021-01-01',
      '--area',
      'town',
      '--db',
      db,
    ]);
    expect(area.code).toBe(1);
    const date = await runMain([
      'params',
      'set',
      'x',
      '1',
      '--org',
      '510000',
      '--from',
      '2021-02-30',
      '--db',
      db,
    ]);
    expect(date.code).toBe(1);
    expect(date.stderr).toContain('NX_ERR_RULES_INVALID_PARAMETER');
  });
});
