import { ageOn, idcardAgeOn, makeIdcard } from './idcard.ts';
import { mobile, personName, ruralAddress } from './names.ts';
import { deriveSeed, mulberry32, type Rng } from './prng.ts';
import { type City, type County, SICHUAN_COUNTIES } from './regions.ts';

/**
 * A seeded generator of realistic 附件2 household-survey submissions (forms/household-survey.json).
 * Computed fields (headAge, totalAnnualIncome, perCapitaMonthlyIncome) are deliberately left out:
 * the form computes them and tests compare with their own calculation.
 */

/**
 * A day after every generated survey (they are dated in May 2021); pass it as `context.today`
 * when validating. Ages from ID numbers are as of each survey's date.
 */
export const HOUSEHOLD_AS_OF = '2021-06-01';

export type Sex = 'male' | 'female';
export type Health = 'healthy' | 'chronic' | 'serious' | 'disabled';

export interface MemberRow {
  name: string;
  relation: 'spouse' | 'child' | 'parent' | 'grandchild' | 'sibling' | 'other';
  idNumber?: string;
  age: number;
  health: Health;
  employerOrSchool?: string;
  annualIncome: number;
  socialInsurance: boolean;
  medicalInsurance: boolean;
}

export interface HouseholdData {
  headName: string;
  headSex: Sex;
  householdSize: number;
  phone?: string;
  headIdNumber: string;
  headHealth: Health;
  disabilityGrade?: string;
  registeredAddress: string;
  residenceAddress: string;
  employer?: string;
  headAnnualIncome: number;
  pension: number;
  pensionInsurance: boolean;
  medicalInsurance: boolean;
  povertyCauses: string[];
  povertyCauseOther?: string;
  assistanceReceived: string[];
  assistanceAmountYearly?: number;
  personCategories: string[];
  cashDeposits: number;
  housing: { floorArea: number; nature: string; address: string }[];
  vehicles: { model: string; use: string }[];
  otherAssets?: string;
  members: MemberRow[];
  requests?: string;
  surveyorName: string;
  surveyDate: string;
  householdSignature: 'signed' | 'fingerprint';
  areaType: 'urban' | 'rural';
  inPovertyRegistry: boolean;
  medicalExpenses12m: number;
  educationExpenses12m: number;
  [extra: string]: unknown;
}

const AS_OF_YEAR = Number(HOUSEHOLD_AS_OF.slice(0, 4));

/** A birth date giving exactly `age` on HOUSEHOLD_AS_OF (days 1–28 avoid month-length and 29 Feb questions). */
function birthDateForAge(rng: Rng, age: number): string {
  const month = rng.int(1, 12);
  const day = rng.int(1, 28);
  const mmdd = `${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  // Born in AS_OF_YEAR - age unless the birthday is still ahead this year.
  const year = mmdd <= HOUSEHOLD_AS_OF.slice(5) ? AS_OF_YEAR - age : AS_OF_YEAR - age - 1;
  return `${year}-${mmdd}`;
}

function health(rng: Rng, age: number): Health {
  const r = rng.next();
  const sick = age >= 60 ? 0.45 : age >= 18 ? 0.25 : 0.1;
  if (r < sick * 0.55) return 'chronic';
  if (r < sick * 0.8) return 'serious';
  if (r < sick) return 'disabled';
  return 'healthy';
}

interface Person {
  sex: Sex;
  age: number;
  birthDate: string;
}

function person(rng: Rng, age: number, sex?: Sex): Person {
  const a = Math.max(0, Math.min(99, age));
  return { sex: sex ?? (rng.chance(0.5) ? 'male' : 'female'), age: a, birthDate: birthDateForAge(rng, a) };
}

/** Relations of the members other than the head, sized to householdSize - 1. */
function family(rng: Rng, head: Person, others: number): (Person & { relation: MemberRow['relation'] })[] {
  const out: (Person & { relation: MemberRow['relation'] })[] = [];
  const add = (relation: MemberRow['relation'], p: Person) => {
    if (out.length < others) out.push({ ...p, relation });
  };
  if (others > 0 && head.age >= 22 && rng.chance(0.8)) {
    add('spouse', person(rng, head.age + rng.int(-5, 5), head.sex === 'male' ? 'female' : 'male'));
  }
  const childAges: number[] = [];
  for (let i = 0; i < 4 && head.age >= 20; i++) {
    const age = head.age - rng.int(20, 36);
    if (age >= 0 && out.length < others) {
      childAges.push(age);
      add('child', person(rng, age));
    }
  }
  if (head.age < 55 && rng.chance(0.5)) add('parent', person(rng, Math.min(95, head.age + rng.int(22, 32))));
  for (const childAge of childAges) {
    if (childAge >= 22) add('grandchild', person(rng, childAge - rng.int(20, 30)));
  }
  while (out.length < others) {
    add(rng.chance(0.6) ? 'sibling' : 'other', person(rng, head.age + rng.int(-10, 10)));
  }
  return out;
}

function employerFor(rng: Rng, age: number): { employerOrSchool?: string; annualIncome: number } {
  if (age < 6) return { annualIncome: 0 };
  if (age < 16)
    return { employerOrSchool: rng.pick(['镇中心小学', '镇初级中学', '村小学']), annualIncome: 0 };
  if (age < 19 && rng.chance(0.7)) return { employerOrSchool: '县高级中学', annualIncome: 0 };
  if (age >= 65) return { employerOrSchool: '无', annualIncome: rng.chance(0.5) ? rng.money(0, 3000) : 0 };
  const job = rng.pick(['务农', '外出务工', '灵活就业', '无']);
  const income = job === '无' ? 0 : job === '务农' ? rng.money(1000, 12000) : rng.money(6000, 36000);
  return { employerOrSchool: job, annualIncome: income };
}

function subset(rng: Rng, values: readonly string[], p: number): string[] {
  return values.filter(() => rng.chance(p));
}

/** One household; `overrides` replace top-level fields after generation. */
export function makeHousehold(seed: number, overrides: Partial<HouseholdData> = {}): HouseholdData {
  const rng = mulberry32(seed);
  const county: County & { city: City } = rng.pick(SICHUAN_COUNTIES);
  const size = rng.pick([1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 5, 5, 6, 7, 8]);
  const head = person(rng, rng.int(25, 85));
  const headId = makeIdcard({
    region: county.code,
    birthDate: head.birthDate,
    seq: rng.int(0, 999),
    sex: head.sex,
  });
  const surname = personName(rng, head.sex).slice(0, 1);
  const registeredAddress = ruralAddress(rng, county.city.name, county.name);
  const residenceAddress = rng.chance(0.85)
    ? registeredAddress
    : ruralAddress(rng, county.city.name, county.name);
  const headHealth = health(rng, head.age);
  const headJob = employerFor(rng, head.age);

  const members: MemberRow[] = family(rng, head, size - 1).map((p) => {
    const job = employerFor(rng, p.age);
    const sameFamily = p.relation === 'child' || p.relation === 'grandchild' || p.relation === 'parent';
    const m: MemberRow = {
      name: personName(
        rng,
        p.sex,
        sameFamily && (p.relation !== 'parent' || head.sex === 'male') ? surname : undefined,
      ),
      relation: p.relation,
      age: ageOn(p.birthDate, HOUSEHOLD_AS_OF),
      health: health(rng, p.age),
      annualIncome: job.annualIncome,
      socialInsurance: p.age >= 16 && rng.chance(0.7),
      medicalInsurance: rng.chance(0.95),
    };
    // The paper has no ID column; most surveys still note the number, some do not.
    if (rng.chance(0.9)) {
      const region = rng.chance(0.8) ? county.code : rng.pick(SICHUAN_COUNTIES).code;
      m.idNumber = makeIdcard({ region, birthDate: p.birthDate, seq: rng.int(0, 999), sex: p.sex });
    }
    if (job.employerOrSchool !== undefined) m.employerOrSchool = job.employerOrSchool;
    return m;
  });

  const causes = new Set<string>();
  if (headHealth === 'chronic' || headHealth === 'serious') causes.add('illness');
  if (headHealth === 'disabled') causes.add('disability');
  for (const c of subset(rng, ['illness', 'disaster', 'lack_of_labour', 'unemployment', 'land_loss'], 0.15)) {
    causes.add(c);
  }
  if (rng.chance(0.05)) causes.add('other');
  if (causes.size === 0) causes.add(size === 1 || head.age >= 65 ? 'lack_of_labour' : 'illness');
  const assistance = rng.chance(0.6)
    ? subset(rng, ['dibao', 'tekun', 'temporary', 'medical', 'education', 'housing', 'other'], 0.25)
    : [];
  const hasStudent = members.some((m) => m.age >= 6 && m.age < 19);

  const data: HouseholdData = {
    headName: surname + personName(rng, head.sex).slice(1),
    headSex: head.sex,
    householdSize: size,
    headIdNumber: headId,
    headHealth,
    registeredAddress,
    residenceAddress,
    headAnnualIncome: headJob.annualIncome,
    pension: head.age >= 60 ? rng.money(1200, 3600) : 0,
    pensionInsurance: rng.chance(0.7),
    medicalInsurance: rng.chance(0.95),
    povertyCauses: [...causes],
    assistanceReceived: assistance,
    personCategories: subset(rng, ['covid_worker', 'flood', 'graduate', 'marginal'], 0.12),
    cashDeposits: rng.chance(0.3) ? 0 : rng.money(100, 20000),
    housing: rng.chance(0.92)
      ? [
          {
            floorArea: rng.int(300, 1800) / 10,
            nature: rng.pick(['self_built', 'self_built', 'self_built', 'commercial', 'rented', 'other']),
            address: residenceAddress,
          },
        ]
      : [],
    vehicles: rng.chance(0.3)
      ? [
          {
            model: rng.pick(['电动三轮车', '摩托车', '农用车', '小型轿车']),
            use: rng.pick(['代步', '农用', '运输']),
          },
        ]
      : [],
    members,
    surveyorName: personName(rng, rng.chance(0.5) ? 'male' : 'female'),
    surveyDate: `2021-05-${String(rng.int(1, 31)).padStart(2, '0')}`,
    householdSignature: rng.chance(0.85) ? 'signed' : 'fingerprint',
    areaType: rng.chance(0.95) ? 'rural' : 'urban',
    inPovertyRegistry: rng.chance(0.3),
    medicalExpenses12m: causes.has('illness') ? rng.money(2000, 60000) : rng.money(0, 3000),
    educationExpenses12m: hasStudent ? rng.money(500, 15000) : 0,
  };
  if (rng.chance(0.9)) data.phone = mobile(rng);
  if (headHealth === 'disabled') data.disabilityGrade = String(rng.int(1, 4));
  if (headJob.employerOrSchool !== undefined) data.employer = headJob.employerOrSchool;
  if (causes.has('other')) data.povertyCauseOther = rng.pick(['子女就学负担重', '意外事故', '家庭变故']);
  if (assistance.length > 0) data.assistanceAmountYearly = rng.money(300, 12000);
  if (rng.chance(0.2)) data.otherAssets = rng.pick(['耕牛1头', '生猪3头', '果树约50株']);
  if (rng.chance(0.8)) {
    data.requests = rng.pick([
      '希望纳入低保',
      '希望解决孩子上学费用',
      '希望帮助解决就医报销',
      '希望改善住房条件',
      '希望提供就业岗位',
    ]);
  }
  const out = { ...data, ...overrides };
  // Ages are as of the survey date: the form checks a member's age against the ID number on that day.
  if (!overrides.members)
    out.members = out.members.map((m) =>
      m.idNumber ? { ...m, age: Math.max(0, idcardAgeOn(m.idNumber, out.surveyDate)) } : m,
    );
  return out;
}

/** `n` households; the i-th equals `makeHousehold(deriveSeed(seed, i))`. */
export function makeHouseholds(n: number, seed: number): HouseholdData[] {
  const out: HouseholdData[] = new Array(n);
  for (let i = 0; i < n; i++) out[i] = makeHousehold(deriveSeed(seed, i));
  return out;
}

/** The same sequence as makeHouseholds, one at a time (a million without holding them all). */
export function* householdStream(n: number, seed: number): Generator<HouseholdData> {
  for (let i = 0; i < n; i++) yield makeHousehold(deriveSeed(seed, i));
}
