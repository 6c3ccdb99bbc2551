import { describe, expect, it } from 'vitest';
import { codeCatalogue } from '../../../engine/errors/code-catalogue.ts';

const entry = (status: number, zh = '没了', en = 'Gone') => ({ status, message: { 'zh-CN': zh, en } });

describe('codeCatalogue', () => {
  it('returns a well-formed catalogue as it is, its codes typed', () => {
    const table = { NX_ERR_X_GONE: entry(410) };
    const checked = codeCatalogue(table, 'x.json');
    expect(checked).toBe(table);
    expect(checked.NX_ERR_X_GONE.status).toBe(410);
  });

  it('refuses an entry, naming the file and the code: bad name, status outside 400–599, a missing message', () => {
    expect(() => codeCatalogue({ ERR_GONE: entry(410) }, 'x.json')).toThrow(/x\.json: ERR_GONE: the name/);
    expect(() => codeCatalogue({ NX_ERR_X_OK: entry(200) }, 'x.json')).toThrow(/NX_ERR_X_OK: the status/);
    expect(() => codeCatalogue({ NX_ERR_X_ODD: entry(410.5) }, 'x.json')).toThrow(/the status/);
    expect(() => codeCatalogue({ NX_ERR_X_ZH: entry(410, '') }, 'x.json')).toThrow(/zh-CN message/);
    expect(() => codeCatalogue({ NX_ERR_X_EN: entry(410, '没了', '') }, 'x.json')).toThrow(/en message/);
  });
});
