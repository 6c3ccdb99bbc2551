import { describe, expect, it } from 'vitest';
import { idcardAge, idcardCheckDigit, parseIdcard } from '../../../engine/logic/idcard.ts';
import { checkDigitOf, makeIdcard, withWrongCheck } from './idcard-factory.ts';

const TODAY = '2026-06-01';

describe('parseIdcard', () => {
  it('accepts the well-known sample 11010519491231002X and decodes it', () => {
    expect(parseIdcard('11010519491231002X', TODAY)).toEqual({
      ok: true,
      birthDate: '1949-12-31',
      sex: 'female',
      region: '110105',
    });
  });

  it('rejects 510104199001011234: its check digit should be 0', () => {
    expect(checkDigitOf('51010419900101123')).toBe('0');
    expect(parseIdcard('510104199001011234', TODAY)).toEqual({ ok: false, reason: 'checksum' });
    expect(parseIdcard('510104199001011230', TODAY)).toMatchObject({
      ok: true,
      sex: 'male',
      region: '510104',
    });
  });

  it('agrees with the independent check-digit formula on many numbers', () => {
    const regions = ['510104', '510722', '513401', '110105', '440305', '650102', '820000'];
    let n = 0;
    for (const region of regions) {
      for (let seq = 1; seq < 1000; seq += 37) {
        const s = String(seq).padStart(3, '0');
        const id = makeIdcard(region, `19${String(50 + (seq % 50))}0${1 + (seq % 9)}1${seq % 10}`, s);
        expect(idcardCheckDigit(id.slice(0, 17))).toBe(id[17]);
        const p = parseIdcard(id, TODAY);
        expect(p.ok, id).toBe(true);
        if (p.ok) expect(p.sex).toBe(seq % 2 === 1 ? 'male' : 'female');
        expect(parseIdcard(withWrongCheck(id), TODAY)).toEqual({ ok: false, reason: 'checksum' });
        n++;
      }
    }
    expect(n).toBeGreaterThan(100);
  });

  it('accepts a lower-case x check digit', () => {
    expect(parseIdcard('11010519491231002x', TODAY).ok).toBe(true);
  });

  it.each([
    ['too short', '51010419900101123'],
    ['too long', '5101041990010112300'],
    ['letters', '51010419900101A230'],
    ['X in the middle', '5101041990X1011230'],
    ['spaces', ' 510104199001011230'],
  ])('reports format for %s', (_what, id) => {
    expect(parseIdcard(id, TODAY)).toEqual({ ok: false, reason: 'format' });
  });

  it('reports format for a region that is not a province (00, 19, 99)', () => {
    for (const region of ['000000', '190101', '990101', '720000']) {
      expect(parseIdcard(makeIdcard(region, '19900101', '123'), TODAY)).toEqual({
        ok: false,
        reason: 'format',
      });
    }
  });

  it('reports birthdate for impossible, future and pre-1900 dates', () => {
    for (const birth of ['19900230', '19901301', '20230229', '18991231', '20260602']) {
      expect(parseIdcard(makeIdcard('510104', birth, '123'), TODAY), birth).toEqual({
        ok: false,
        reason: 'birthdate',
      });
    }
    expect(parseIdcard(makeIdcard('510104', '20240229', '123'), TODAY).ok).toBe(true);
    expect(parseIdcard(makeIdcard('510104', '20260601', '123'), TODAY).ok).toBe(true);
  });
});

describe('idcardAge', () => {
  const id = makeIdcard('510104', '19600615', '201');
  it('counts full years: the day before the birthday is one year less', () => {
    expect(idcardAge(id, '2026-06-14')).toBe(65);
    expect(idcardAge(id, '2026-06-15')).toBe(66);
  });
  it('is null for an invalid number or date', () => {
    expect(idcardAge(withWrongCheck(id), '2026-06-15')).toBeNull();
    expect(idcardAge(id, '2026-13-01')).toBeNull();
    expect(idcardAge(id, '1950-01-01')).toBeNull();
  });
});
