/**
 * The physical limit for validating forms/household-survey.json: the same checks and calculations
 * written out by hand as straight-line TypeScript, with nothing interpreted. Benchmarks compare the
 * engine against it; `bench/cases/validate.ts` first checks that both flag the same submissions.
 */

type Rec = Record<string, unknown>;
export interface HandResult {
  ok: boolean;
  data: Rec;
  errors: number;
}

const W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';
const PROVINCES = new Set([
  11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61,
  62, 63, 64, 65, 71, 81, 82, 91,
]);
const ID_RE = /^\d{17}[\dX]$/;
const MOBILE = /^1[3-9]\d{9}$/;
const LANDLINE = /^0\d{2,3}-?\d{7,8}(-\d{1,6})?$/;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const HEALTH = new Set(['healthy', 'chronic', 'serious', 'disabled']);
const GRADES = new Set(['none', '1', '2', '3', '4']);
const CAUSES = new Set([
  'illness',
  'disaster',
  'disability',
  'lack_of_labour',
  'unemployment',
  'land_loss',
  'other',
]);
const ASSIST = new Set(['dibao', 'tekun', 'temporary', 'medical', 'education', 'housing', 'other']);
const CATEGORIES = new Set(['covid_worker', 'flood', 'graduate', 'marginal', 'other']);
const NATURES = new Set(['self_built', 'commercial', 'rented', 'other']);
const SEXES = new Set(['male', 'female']);
const SIGNATURES = new Set(['signed', 'fingerprint']);
const AREAS = new Set(['urban', 'rural']);
const RELATIONS = new Set(['spouse', 'child', 'parent', 'grandchild', 'sibling', 'other']);

const daysIn = (y: number, m: number): number => new Date(Date.UTC(y, m, 0)).getUTCDate();
function validDate(s: string): boolean {
  const m = DATE_RE.exec(s);
  if (!m) return false;
  const y = +(m[1] as string);
  const mo = +(m[2] as string);
  const d = +(m[3] as string);
  return mo >= 1 && mo <= 12 && d >= 1 && d <= daysIn(y, mo);
}
/** Birth date of a valid ID number, or null. */
function idBirth(id: unknown, today: string): string | null {
  if (typeof id !== 'string' || !ID_RE.test(id)) return null;
  if (!PROVINCES.has(+id.slice(0, 2))) return null;
  let s = 0;
  for (let i = 0; i < 17; i++) s += (id.charCodeAt(i) - 48) * (W[i] as number);
  if (CHECK[s % 11] !== id[17]) return null;
  const b = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
  if (!validDate(b) || b > today || b < '1900-01-01') return null;
  return b;
}
function ageOf(birth: string, today: string): number {
  let a = +today.slice(0, 4) - +birth.slice(0, 4);
  if (today.slice(5) < birth.slice(5)) a--;
  return a;
}
const fen = (n: number): number => Math.round(n * 100 + (n >= 0 ? 1e-7 : -1e-7));
const money = (v: unknown): number | null =>
  typeof v === 'number' && Number.isFinite(v) ? fen(v) / 100 : null;
function text(v: unknown, max: number): string | null | false {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string') return false;
  const s = v.trim();
  if (s === '') return null;
  return [...s].length <= max ? s : false;
}
function ticks(v: unknown, allowed: Set<string>): string[] | null | false {
  if (v === undefined || v === null) return null;
  if (!Array.isArray(v)) return false;
  if (v.length === 0) return null;
  for (const x of v) if (typeof x !== 'string' || !allowed.has(x)) return false;
  return new Set(v).size === v.length ? v : false;
}

/** Validates one household survey (submit mode); `today` as the context date. */
export function validateHouseholdByHand(input: unknown, today: string): HandResult {
  if (input === null || typeof input !== 'object' || Array.isArray(input))
    return { ok: false, data: {}, errors: 1 };
  const d = input as Rec;
  const out: Rec = {};
  let e = 0;
  const req = (k: string, v: unknown): void => {
    if (v === null) e++;
    else if (v === false) e++;
    else out[k] = v;
  };
  const opt = (k: string, v: unknown): void => {
    if (v === false) e++;
    else if (v !== null) out[k] = v;
  };
  const moneyField = (k: string, required: boolean): number | null => {
    const v = d[k];
    if (v === undefined || v === null || v === '') {
      if (required) e++;
      return null;
    }
    const m = money(v);
    if (m === null || m < 0) {
      e++;
      return null;
    }
    out[k] = m;
    return m;
  };
  const sel = (v: unknown, allowed: Set<string>): string | null | false =>
    v === undefined || v === null || v === '' ? null : typeof v === 'string' && allowed.has(v) ? v : false;

  req('headName', text(d.headName, 50));
  // Ages from ID numbers are as of the survey date (today until it is filled in), as the form computes them.
  const ageDate = typeof d.surveyDate === 'string' && d.surveyDate !== '' ? d.surveyDate : today;
  const ageOn = (b: string): number | null => (validDate(ageDate) && b <= ageDate ? ageOf(b, ageDate) : null);
  const id = d.headIdNumber;
  const birth = idBirth(id, today);
  if (id === undefined || id === null || id === '') e++;
  else if (birth === null) e++;
  else out.headIdNumber = id;
  const sex = sel(d.headSex, SEXES);
  req('headSex', sex);
  if (birth !== null && sex && ((id as string).charCodeAt(16) % 2 === 1 ? 'male' : 'female') !== sex) e++;
  if (birth !== null) out.headAge = ageOn(birth);
  const size = d.householdSize;
  if (typeof size !== 'number' || !Number.isInteger(size) || size < 1 || size > 20) e++;
  else out.householdSize = size;
  const phone = d.phone;
  if (phone !== undefined && phone !== null && phone !== '') {
    if (typeof phone === 'string' && (MOBILE.test(phone) || LANDLINE.test(phone))) out.phone = phone;
    else e++;
  }
  const health = sel(d.headHealth, HEALTH);
  req('headHealth', health);
  if (health === 'disabled') req('disabilityGrade', sel(d.disabilityGrade, GRADES));
  req('registeredAddress', text(d.registeredAddress, 200));
  opt('residenceAddress', text(d.residenceAddress, 200));
  opt('employer', text(d.employer, 100));
  const headIncome = moneyField('headAnnualIncome', false);
  const pension = moneyField('pension', false);
  for (const k of ['pensionInsurance', 'medicalInsurance']) {
    const v = d[k];
    if (typeof v === 'boolean') out[k] = v;
    else if (v !== undefined && v !== null) e++;
  }
  const causes = ticks(d.povertyCauses, CAUSES);
  req('povertyCauses', causes);
  if (Array.isArray(causes) && causes.includes('other'))
    req('povertyCauseOther', text(d.povertyCauseOther, 100));
  const assist = ticks(d.assistanceReceived, ASSIST);
  opt('assistanceReceived', assist);
  if (assist) moneyField('assistanceAmountYearly', true);
  opt('personCategories', ticks(d.personCategories, CATEGORIES));
  moneyField('cashDeposits', false);

  const housing = d.housing;
  if (Array.isArray(housing) && housing.length > 0) {
    if (housing.length > 10) e++;
    const rows: Rec[] = [];
    for (const r of housing as Rec[]) {
      const o: Rec = {};
      const a = r.floorArea;
      if (typeof a !== 'number' || !Number.isFinite(a) || a < 0) e++;
      else o.floorArea = Math.round(a * 100) / 100;
      const n = sel(r.nature, NATURES);
      if (!n) e++;
      else o.nature = n;
      const ad = text(r.address, 200);
      if (ad === false) e++;
      else if (ad !== null) o.address = ad;
      rows.push(o);
    }
    out.housing = rows;
  }
  const vehicles = d.vehicles;
  if (Array.isArray(vehicles) && vehicles.length > 0) {
    if (vehicles.length > 10) e++;
    const rows: Rec[] = [];
    for (const r of vehicles as Rec[]) {
      const o: Rec = {};
      const m = text(r.model, 100);
      if (!m) e++;
      else o.model = m;
      const u = text(r.use, 100);
      if (u === false) e++;
      else if (u !== null) o.use = u;
      rows.push(o);
    }
    out.vehicles = rows;
  }
  opt('otherAssets', text(d.otherAssets, 1000));

  const members = Array.isArray(d.members) ? (d.members as Rec[]) : [];
  if (members.length > 19) e++;
  let memberFen = 0;
  let spouses = 0;
  const rows: Rec[] = [];
  for (const r of members) {
    const o: Rec = {};
    const nm = text(r.name, 50);
    if (!nm) e++;
    else o.name = nm;
    const rel = sel(r.relation, RELATIONS);
    if (!rel) e++;
    else o.relation = rel;
    if (rel === 'spouse') spouses++;
    let mb: string | null = null;
    if (r.idNumber !== undefined && r.idNumber !== null && r.idNumber !== '') {
      mb = idBirth(r.idNumber, today);
      if (mb === null) e++;
      else o.idNumber = r.idNumber;
    }
    const age = r.age;
    if (typeof age !== 'number' || !Number.isInteger(age) || age < 0 || age > 150) e++;
    else {
      o.age = age;
      const want = mb === null ? null : ageOn(mb);
      if (want !== null && want !== age) e++;
    }
    const h = sel(r.health, HEALTH);
    if (!h) e++;
    else o.health = h;
    const em = text(r.employerOrSchool, 100);
    if (em === false) e++;
    else if (em !== null) o.employerOrSchool = em;
    const inc = r.annualIncome;
    if (inc !== undefined && inc !== null) {
      const m = money(inc);
      if (m === null || m < 0) e++;
      else {
        o.annualIncome = m;
        memberFen += fen(m);
      }
    }
    for (const k of ['socialInsurance', 'medicalInsurance']) {
      const v = r[k];
      if (typeof v === 'boolean') o[k] = v;
      else if (v !== undefined && v !== null) e++;
    }
    rows.push(o);
  }
  if (members.length > 0) out.members = rows;
  if (spouses > 1) e += spouses;
  if (typeof out.householdSize === 'number' && out.householdSize !== members.length + 1) e++;

  opt('requests', text(d.requests, 2000));
  req('surveyorName', text(d.surveyorName, 50));
  const sd = d.surveyDate;
  if (typeof sd !== 'string' || !validDate(sd) || sd < '2021-04-25' || sd > today) e++;
  else out.surveyDate = sd;
  req('householdSignature', sel(d.householdSignature, SIGNATURES));
  req('areaType', sel(d.areaType ?? 'rural', AREAS));
  const reg = d.inPovertyRegistry;
  if (typeof reg === 'boolean') out.inPovertyRegistry = reg;
  else if (reg !== undefined && reg !== null) e++;
  moneyField('medicalExpenses12m', false);
  moneyField('educationExpenses12m', false);

  const totalFen = fen(headIncome ?? 0) + fen(pension ?? 0) + memberFen;
  out.totalAnnualIncome = totalFen / 100;
  if (typeof out.householdSize === 'number' && out.householdSize > 0) {
    out.perCapitaMonthlyIncome = Math.round(totalFen / (12 * out.householdSize)) / 100;
  }
  return { ok: e === 0, data: out, errors: e };
}
