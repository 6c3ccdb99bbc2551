import { describe, expect, it } from 'vitest';
import {
  ageOn,
  idcardAgeOn,
  idcardCheckChar,
  makeIdcard,
  sexOfIdcard,
  withWrongCheckChar,
} from './idcard.ts';

describe('ID number oracle (GB 11643)', () => {
  it('reproduces the check characters of the examples printed in the standard', () => {
    expect(idcardCheckChar('11010519491231002')).toBe('X');
    expect(idcardCheckChar('44052418800101001')).toBe('4');
  });

  it('encodes region, birth date, order and a sex-matching parity', () => {
    const id = makeIdcard({ region: '510104', birthDate: '1965-03-07', seq: 12, sex: 'male' });
    expect(id).toMatch(/^51010419650307013[0-9X]$/);
    expect(sexOfIdcard(id)).toBe('male');
    expect(
      sexOfIdcard(makeIdcard({ region: '510104', birthDate: '1965-03-07', seq: 13, sex: 'female' })),
    ).toBe('female');
  });

  it('makes a number whose check character is wrong when asked', () => {
    const id = makeIdcard({ region: '510104', birthDate: '1965-03-07' });
    const bad = withWrongCheckChar(id);
    expect(bad.slice(0, 17)).toBe(id.slice(0, 17));
    expect(bad[17]).not.toBe(id[17]);
  });

  it('counts age in whole years, one less before the birthday', () => {
    expect(ageOn('1960-06-01', '2021-06-01')).toBe(61);
    expect(ageOn('1960-06-02', '2021-06-01')).toBe(60);
    expect(ageOn('1960-12-31', '2021-06-01')).toBe(60);
    expect(idcardAgeOn('11010519491231002X', '2021-06-01')).toBe(71);
  });
});
