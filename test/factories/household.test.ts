import { describe, expect, it } from 'vitest';
import { householdStream, makeHousehold, makeHouseholds } from './household.ts';
import { idcardAgeOn, idcardCheckChar, sexOfIdcard } from './idcard.ts';
import { deriveSeed } from './prng.ts';
import { makeRoster } from './roster.ts';
import { makeVisitStatistics } from './visit-statistics.ts';

const fen = (x: number) => Math.abs(Math.round(x * 100) - x * 100) < 1e-6;

describe('household generator', () => {
  it('is deterministic per seed and differs between seeds', () => {
    expect(makeHousehold(42)).toEqual(makeHousehold(42));
    expect(makeHousehold(42)).not.toEqual(makeHousehold(43));
    const batch = makeHouseholds(5, 7);
    expect(batch[3]).toEqual(makeHousehold(deriveSeed(7, 3)));
    expect([...householdStream(5, 7)]).toEqual(batch);
  });

  it('makes consistent households: size, IDs, ages, money in fen', () => {
    for (const h of makeHouseholds(2000, 1)) {
      expect(h.householdSize).toBe(h.members.length + 1);
      expect(h.householdSize).toBeGreaterThanOrEqual(1);
      expect(h.householdSize).toBeLessThanOrEqual(8);
      expect(h.headIdNumber[17]).toBe(idcardCheckChar(h.headIdNumber.slice(0, 17)));
      expect(h.headIdNumber.slice(0, 2)).toBe('51');
      expect(sexOfIdcard(h.headIdNumber)).toBe(h.headSex);
      for (const m of h.members) {
        // As of the survey date (0 for a child born since).
        if (m.idNumber) expect(Math.max(0, idcardAgeOn(m.idNumber, h.surveyDate))).toBe(m.age);
        expect(m.age).toBeGreaterThanOrEqual(0);
        expect(fen(m.annualIncome)).toBe(true);
      }
      for (const x of [h.headAnnualIncome, h.pension, h.cashDeposits, h.medicalExpenses12m]) {
        expect(x).toBeGreaterThanOrEqual(0);
        expect(fen(x)).toBe(true);
      }
      expect(h.povertyCauses.length).toBeGreaterThan(0);
      expect(h.disabilityGrade !== undefined).toBe(h.headHealth === 'disabled');
      expect(h.assistanceAmountYearly !== undefined).toBe(h.assistanceReceived.length > 0);
    }
  });

  it('applies overrides on top of the generated data', () => {
    expect(makeHousehold(3, { householdSize: 19 }).householdSize).toBe(19);
  });
});

describe('visit-statistics and roster generators', () => {
  it('keeps every sub-category within its total and the inclusions adding up', () => {
    for (let s = 0; s < 200; s++) {
      const v = makeVisitStatistics(s);
      expect(new Set(v.rows.map((r) => r.county)).size).toBe(v.rows.length);
      for (const r of v.rows) {
        expect(r.county.slice(0, 4)).toBe(v.reportingUnit.slice(0, 4));
        expect(r.partyVisits).toBeLessThanOrEqual(r.visits);
        expect(r.veteranVisits).toBeLessThanOrEqual(r.visits);
        expect(r.partyFunds).toBeLessThanOrEqual(r.visitFunds);
        expect(r.veteranFunds).toBeLessThanOrEqual(r.visitFunds);
        expect(r.includedDibao + r.includedTekun + r.includedTemporary + r.includedOther).toBe(r.included);
        expect(Math.min(r.includedOther, r.includedTemporary, r.partyFunds)).toBeGreaterThanOrEqual(0);
      }
    }
  });

  it('builds roster rows from households with unique ID numbers', () => {
    const r = makeRoster(5, 30);
    expect(r.families).toHaveLength(30);
    expect(new Set(r.families.map((f) => f.idNumber)).size).toBe(30);
    for (const f of r.families) expect(['at_risk', 'marginal', 'expense']).toContain(f.hardshipType);
  });
});
