import type { Rng } from './prng.ts';

/** Word lists for generated households: common surnames, given-name characters, places. */
const SURNAMES = '王李张刘陈杨黄赵周吴徐孙马胡朱郭何罗高林谢唐邓冯蒋曾彭';
const MALE_CHARS = '伟强军华明勇建国平志福贵德成刚林超文';
const FEMALE_CHARS = '秀英芳兰琼玉珍梅霞丽淑红燕萍桂敏慧';

export const TOWNSHIPS = [
  '城关镇',
  '石桥镇',
  '白马镇',
  '青龙乡',
  '永安镇',
  '太平镇',
  '新场镇',
  '龙泉镇',
] as const;
export const VILLAGES = [
  '红星村',
  '光明村',
  '新民村',
  '团结村',
  '和平村',
  '先锋村',
  '双河村',
  '柏林村',
] as const;

const char = (rng: Rng, chars: string): string => chars[rng.int(0, chars.length - 1)] as string;

/** A plausible Chinese personal name of two or three characters. */
export function personName(rng: Rng, sex: 'male' | 'female', surname?: string): string {
  const chars = sex === 'male' ? MALE_CHARS : FEMALE_CHARS;
  const given = rng.chance(0.7) ? char(rng, chars) + char(rng, chars) : char(rng, chars);
  return (surname ?? char(rng, SURNAMES)) + given;
}

/** A rural address inside a county: 四川省<city><county><township><village><n>组. */
export function ruralAddress(rng: Rng, cityName: string, countyName: string): string {
  return `四川省${cityName}${countyName}${rng.pick(TOWNSHIPS)}${rng.pick(VILLAGES)}${rng.int(1, 12)}组${rng.int(1, 80)}号`;
}

const MOBILE_PREFIXES = [
  '133',
  '135',
  '136',
  '138',
  '139',
  '150',
  '151',
  '152',
  '158',
  '159',
  '177',
  '180',
  '181',
  '182',
  '187',
  '189',
  '199',
] as const;

/** An 11-digit mainland mobile number. */
export function mobile(rng: Rng): string {
  return rng.pick(MOBILE_PREFIXES) + String(rng.int(0, 99_999_999)).padStart(8, '0');
}
