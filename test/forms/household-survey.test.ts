import { describe, expect, it } from 'vitest';
import { HOUSEHOLD_AS_OF, householdStream, makeHousehold } from '../factories/household.ts';
import { idcardAgeOn } from '../factories/idcard.ts';
import { fieldIds, loadSeedForm, readForm, seedFormBasics } from './seed-forms.ts';

const ID = 'household-survey';
const ctx = { today: HOUSEHOLD_AS_OF };

/** Fen-exact expectations, computed here and not by the engine. */
function expected(h: ReturnType<typeof makeHousehold>) {
  const totalFen =
    Math.round(h.headAnnualIncome * 100) +
    Math.round(h.pension * 100) +
    h.members.reduce((s, m) => s + Math.round(m.annualIncome * 100), 0);
  const months = 12 * h.householdSize;
  return {
    // As of the survey date, not the day the form is filled in.
    headAge: idcardAgeOn(h.headIdNumber, h.surveyDate),
    totalAnnualIncome: totalFen / 100,
    // Half up, in whole fen: round(totalFen / months).
    perCapitaMonthlyIncome: Math.floor((2 * totalFen + months) / (2 * months)) / 100,
  };
}

describe('forms/household-survey.json (附件2)', () => {
  it('loads with no problems', () => {
    const { problems, definition } = loadSeedForm(ID);
    expect(problems).toEqual([]);
    expect(definition.id).toBe(ID);
    expect((readForm(ID) as { $schema: string }).$schema).toBe('../schemas/form.schema.json');
  });

  it('has every box of the paper under the agreed field ids', () => {
    const ids = fieldIds(loadSeedForm(ID).definition);
    const agreed = [
      'headName',
      'headSex',
      'headAge',
      'householdSize',
      'phone',
      'headIdNumber',
      // Not a box of the paper: 一证一书 asks for the ID card, photographed here (optional, personal).
      'headIdCardPhotos',
      'headHealth',
      'disabilityGrade',
      'registeredAddress',
      'residenceAddress',
      'employer',
      'headAnnualIncome',
      'pension',
      'pensionInsurance',
      'medicalInsurance',
      'povertyCauses',
      'povertyCauseOther',
      'assistanceReceived',
      'assistanceAmountYearly',
      'personCategories',
      'cashDeposits',
      'housing',
      'housing.floorArea',
      'housing.nature',
      'housing.address',
      'vehicles',
      'vehicles.model',
      'vehicles.use',
      'otherAssets',
      'members',
      'members.name',
      'members.relation',
      'members.idNumber',
      'members.age',
      'members.health',
      'members.employerOrSchool',
      'members.annualIncome',
      'members.socialInsurance',
      'members.medicalInsurance',
      'requests',
      'surveyorName',
      // The signature boxes, drawn on the screen (or the fingerprint photographed); optional.
      'surveyorSignatureImage',
      'surveyDate',
      'householdSignature',
      'householdSignatureImage',
      'areaType',
      'inPovertyRegistry',
      'medicalExpenses12m',
      'educationExpenses12m',
      'totalAnnualIncome',
      'perCapitaMonthlyIncome',
      // Not a box of the paper: the household record version a follow-up was filled against (registers).
      'registerBaseVersion',
    ];
    expect([...ids].sort()).toEqual([...agreed].sort());
  });

  const form = seedFormBasics(ID);

  it('computes head age, total and per-capita monthly income of generated households', () => {
    for (const h of householdStream(300, 77)) {
      const r = form.validate(h, ctx);
      const want = expected(h);
      expect(r.data.headAge).toBe(want.headAge);
      expect(r.data.totalAnnualIncome).toBe(want.totalAnnualIncome);
      expect(r.data.perCapitaMonthlyIncome).toBe(want.perCapitaMonthlyIncome);
    }
  });

  it('rounds per-capita income half up to the fen without float drift', () => {
    // 1.00 yuan a year for one person is 0.0833… a month; 6 fen a year over 12 months is exactly half a fen.
    const base = makeHousehold(5, { members: [], householdSize: 1, pension: 0 });
    const one = form.validate({ ...base, headAnnualIncome: 1 }, ctx);
    expect(one.data.perCapitaMonthlyIncome).toBe(0.08);
    const half = form.validate({ ...base, headAnnualIncome: 0.06 }, ctx);
    expect(half.data.perCapitaMonthlyIncome).toBe(0.01);
    // 12.06 / 12 = 1.005 and 4733.94 / 12 = 394.495 are exact halves that floating division lands below.
    const drift = form.validate({ ...base, headAnnualIncome: 12.06 }, ctx);
    expect(drift.data.perCapitaMonthlyIncome).toBe(1.01);
    const drift2 = form.validate({ ...base, headAnnualIncome: 4733.94 }, ctx);
    expect(drift2.data.perCapitaMonthlyIncome).toBe(394.5);
  });

  it('takes up to two photos of the ID card, optional and marked personal', () => {
    const h = makeHousehold(9);
    const photo = (n: number) => ({
      id: String(n).repeat(64),
      name: `id-${n}.jpg`,
      type: 'image/jpeg',
      size: 90_000,
    });
    expect(form.validate(h, { ...ctx, mode: 'submit' }).ok).toBe(true);
    expect(
      form.validate({ ...h, headIdCardPhotos: [photo(1), photo(2)] }, { ...ctx, mode: 'submit' }).ok,
    ).toBe(true);
    const three = form.validate({ ...h, headIdCardPhotos: [photo(1), photo(2), photo(3)] }, ctx);
    expect(three.errors).toMatchObject([{ path: '/headIdCardPhotos', code: 'NX_ERR_VALUE_MAX_FILES' }]);
    const gif = form.validate({ ...h, headIdCardPhotos: [{ ...photo(1), type: 'image/gif' }] }, ctx);
    expect(gif.errors).toMatchObject([{ path: '/headIdCardPhotos', code: 'NX_ERR_VALUE_FILE_TYPE' }]);
    const field = loadSeedForm(ID).definition.sections[0]?.fields.find((f) => f.id === 'headIdCardPhotos');
    expect(field).toMatchObject({ type: 'photo', pii: true, maxCount: 2 });
  });

  it('ignores a computed value sent by the client', () => {
    const h = makeHousehold(8);
    const r = form.validate({ ...h, totalAnnualIncome: 999_999, headAge: 3 }, ctx);
    expect(r.data.totalAnnualIncome).toBe(expected(h).totalAnnualIncome);
    expect(r.data.headAge).toBe(expected(h).headAge);
  });

  it('accepts 1,000 generated households', () => {
    const failures: unknown[] = [];
    for (const h of householdStream(1000, 2021)) {
      const r = form.validate(h, ctx);
      if (!r.ok) failures.push({ head: h.headIdNumber, errors: r.errors });
    }
    expect(failures.slice(0, 3)).toEqual([]);
  });
  it('computes ages from ID numbers as of the survey date, not the day the form is filled in', () => {
    // A survey of 2021-05-10 entered years later: the head's age and the members' ages are those of that day.
    const h = makeHousehold(4242, { surveyDate: '2021-05-10' });
    const later = { today: '2026-12-07' };
    const r = form.validate(h, later);
    expect(r.errors).toEqual([]);
    expect(r.data.headAge).toBe(idcardAgeOn(h.headIdNumber, '2021-05-10'));
    expect(r.data.headAge).toBeLessThan(idcardAgeOn(h.headIdNumber, later.today));
    // A member's age written as of the day of entry no longer matches the ID number.
    const withId = h.members.findIndex((m) => m.idNumber);
    expect(withId).toBeGreaterThanOrEqual(0);
    const members = h.members.map((m, i) =>
      i === withId ? { ...m, age: idcardAgeOn(m.idNumber as string, later.today) } : m,
    );
    const wrong = form.validate({ ...h, members }, later);
    expect(wrong.errors).toEqual([
      expect.objectContaining({ path: `/members/${withId}/age`, code: 'MEMBER_AGE_MISMATCH' }),
    ]);
  });
});
