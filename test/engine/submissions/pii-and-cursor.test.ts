import { describe, expect, it } from 'vitest';
import { maskData, piiFields, unmaskData } from '../../../engine/forms/pii.ts';
import { decodeCursor, encodeCursor } from '../../../engine/submissions/cursor.ts';
import { householdForm } from '../../helpers/forms.ts';

const def = householdForm();
const data = {
  headName: '王五',
  headIdNumber: '511923197001011234',
  phone: '13812345678',
  members: [{ name: '王小', idNumber: '511923200001011235' }, 'not a row'],
};

describe('pii fields', () => {
  it('are found from the definition, table columns included', () => {
    const m = piiFields(def);
    expect([...m.top.entries()]).toEqual([
      ['headIdNumber', 'idcard'],
      ['phone', 'phone'],
    ]);
    expect([...(m.tables.get('members')?.entries() ?? [])]).toEqual([['idNumber', 'idcard']]);
  });

  it('masking leaves other values and the input alone', () => {
    const masked = maskData(def, data);
    expect(masked).toEqual({
      headName: '王五',
      headIdNumber: '5119**********1234',
      phone: '138****5678',
      members: [{ name: '王小', idNumber: '5119**********1235' }, 'not a row'],
    });
    expect(data.headIdNumber).toBe('511923197001011234');
  });

  it('unmasking restores only values that still equal the mask of the stored one', () => {
    const masked = maskData(def, data);
    expect(unmaskData(def, masked, data)).toEqual(data);
    const changed = { ...masked, phone: '13900000000', headIdNumber: '5119**********9999' };
    const r = unmaskData(def, changed, data);
    expect(r.phone).toBe('13900000000');
    expect(r.headIdNumber).toBe('5119**********9999');
  });
});

describe('cursor', () => {
  it('round-trips and refuses garbage', () => {
    const c = encodeCursor('2021-06-01T00:00:00.000Z', 'abc');
    expect(decodeCursor(c)).toEqual({ createdAt: '2021-06-01T00:00:00.000Z', id: 'abc' });
    expect(decodeCursor('garbage')).toBeUndefined();
    expect(decodeCursor(Buffer.from('[1,2]').toString('base64url'))).toBeUndefined();
  });
});
