import { idcardAge, idcardCheckDigit } from '../engine/logic/idcard.ts';

/**
 * The demo village's families (白衣村, 平昌县): a fixed, deterministic set of 附件2 surveys whose
 * incomes fall on purpose in each band of the rules — under the 低保 standard, in the 1–1.5×
 * band of the 附件3 roster, expense-type hardship, and comfortably above — so that the demo shows
 * every kind of family a county meets. Nothing here is random at run time: the same database
 * comes out of every fresh start (only the dates follow the clock).
 */

export type DemoBand = 'under' | 'marginal' | 'expense' | 'above';

export interface DemoHousehold {
  readonly band: DemoBand;
  readonly data: Record<string, unknown>;
}

const SURNAMES = [
  '王',
  '李',
  '张',
  '刘',
  '陈',
  '杨',
  '赵',
  '黄',
  '周',
  '吴',
  '徐',
  '孙',
  '何',
  '罗',
  '郑',
  '谢',
];
const MALE = ['德明', '国强', '建华', '志勇', '永福', '长青', '朝贵', '世平', '文才', '有林', '正华', '明亮'];
const FEMALE = [
  '秀英',
  '桂芳',
  '玉兰',
  '淑珍',
  '春梅',
  '小红',
  '素芬',
  '翠华',
  '丽娟',
  '金凤',
  '凤英',
  '月琴',
];
const CHILD = ['浩然', '欣怡', '子轩', '雨涵', '俊杰', '梓萱', '宇航', '诗琪'];
const GROUPS = ['一组', '二组', '三组', '四组', '五组', '六组'];

/** mulberry32: a small seeded generator, so the demo is the same on every machine. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function idNumber(birth: string, seq: number, sex: 'male' | 'female'): string {
  // 511923: 平昌县. The 17th digit is odd for men, even for women.
  const s = (seq * 2 + (sex === 'male' ? 1 : 0)) % 1000;
  const first17 = `511923${birth.replaceAll('-', '')}${String(s).padStart(3, '0')}`;
  return first17 + idcardCheckDigit(first17);
}

function birthFor(rand: () => number, age: number, on: string): string {
  const year = Number(on.slice(0, 4)) - age - 1;
  const month = 1 + Math.floor(rand() * 12);
  const day = 1 + Math.floor(rand() * 28);
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

const BANDS: readonly DemoBand[] = ['under', 'marginal', 'marginal', 'expense', 'above', 'under'];

/** Per-capita monthly income (元) aimed at for a band, against 平昌县's rural standard of 490 元. */
function perCapitaFor(band: DemoBand, rand: () => number): number {
  if (band === 'under') return 180 + Math.floor(rand() * 250);
  if (band === 'marginal') return 520 + Math.floor(rand() * 190);
  if (band === 'expense') return 760 + Math.floor(rand() * 180);
  return 1100 + Math.floor(rand() * 900);
}

/**
 * `count` surveys of 白衣村 dated `surveyDate` (YYYY-MM-DD), filled by `surveyor`. Ages are as of
 * the survey date, as the form checks them against the ID numbers.
 */
export function demoHouseholds(
  count: number,
  surveyDate: string,
  surveyor = '白衣村工作人员',
): DemoHousehold[] {
  const out: DemoHousehold[] = [];
  for (let i = 0; i < count; i++) {
    const rand = prng(20210601 + i);
    const band = BANDS[i % BANDS.length] as DemoBand;
    const sex: 'male' | 'female' = i % 3 === 2 ? 'female' : 'male';
    const surname = SURNAMES[i % SURNAMES.length] as string;
    const given = sex === 'male' ? MALE[i % MALE.length] : FEMALE[i % FEMALE.length];
    const headAge = band === 'under' ? 58 + (i % 25) : 38 + ((i * 7) % 30);
    const headBirth = birthFor(rand, headAge, surveyDate);
    const headId = idNumber(headBirth, 100 + i, sex);
    const size = band === 'under' && i % 4 === 0 ? 1 : 2 + (i % 4);
    const members: Record<string, unknown>[] = [];
    if (size >= 2) {
      const spouseSex = sex === 'male' ? 'female' : 'male';
      const birth = birthFor(rand, headAge - 2, surveyDate);
      const id = idNumber(birth, 400 + i, spouseSex);
      members.push({
        name: `${SURNAMES[(i + 5) % SURNAMES.length]}${spouseSex === 'male' ? MALE[(i + 3) % MALE.length] : FEMALE[(i + 3) % FEMALE.length]}`,
        relation: 'spouse',
        idNumber: id,
        age: idcardAge(id, surveyDate) ?? 0,
        health: band === 'under' ? 'chronic' : 'healthy',
        employerOrSchool: '务农',
        annualIncome: 0,
        socialInsurance: true,
        medicalInsurance: true,
      });
    }
    for (let c = 0; members.length < size - 1; c++) {
      const childSex = c % 2 === 0 ? 'male' : 'female';
      const birth = birthFor(rand, 6 + ((i + c * 5) % 14), surveyDate);
      const id = idNumber(birth, 600 + i * 4 + c, childSex);
      members.push({
        name: `${surname}${CHILD[(i + c) % CHILD.length]}`,
        relation: 'child',
        idNumber: id,
        age: idcardAge(id, surveyDate) ?? 0,
        health: 'healthy',
        employerOrSchool: '白衣镇中心小学',
        annualIncome: 0,
        socialInsurance: false,
        medicalInsurance: true,
      });
    }
    const annual = perCapitaFor(band, rand) * size * 12;
    const group = GROUPS[i % GROUPS.length] as string;
    const address = `四川省巴中市平昌县白衣镇白衣村${group}${1 + ((i * 13) % 60)}号`;
    const data: Record<string, unknown> = {
      headName: `${surname}${given}`,
      headSex: sex,
      householdSize: size,
      phone: `1${[3, 5, 8][i % 3]}${String(700000000 + i * 7919).slice(0, 9)}`,
      headIdNumber: headId,
      headHealth: band === 'under' ? 'serious' : band === 'expense' ? 'chronic' : 'healthy',
      registeredAddress: address,
      residenceAddress: address,
      employer: band === 'above' ? '外出务工' : '务农',
      headAnnualIncome: annual,
      pension: 0,
      pensionInsurance: true,
      medicalInsurance: true,
      povertyCauses:
        band === 'above'
          ? ['lack_of_labour']
          : band === 'under'
            ? ['illness']
            : ['illness', 'lack_of_labour'],
      assistanceReceived: [],
      personCategories: band === 'marginal' ? ['marginal'] : [],
      cashDeposits: band === 'above' ? 30000 : 800 + (i % 5) * 300,
      housing: [{ floorArea: 60 + (i % 7) * 10, nature: 'self_built', address }],
      vehicles: band === 'above' ? [{ model: '摩托车', use: '代步' }] : [],
      members,
      requests: band === 'under' ? '希望纳入低保' : band === 'expense' ? '希望帮助解决就医报销' : '无',
      surveyorName: surveyor,
      surveyDate,
      householdSignature: i % 7 === 3 ? 'fingerprint' : 'signed',
      areaType: 'rural',
      inPovertyRegistry: i % 5 === 1,
      medicalExpenses12m: band === 'expense' ? annual + 6000 : band === 'under' ? 3000 : 0,
      educationExpenses12m: 0,
    };
    out.push({ band, data });
  }
  return out;
}
