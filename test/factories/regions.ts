/**
 * A sample of Sichuan's administrative divisions (GB/T 2260) for generated data: cities (市州)
 * with some of their county-level units. Real codes, so generated ID numbers and org units look real.
 */
export interface County {
  code: string;
  name: string;
}
export interface City {
  code: string;
  name: string;
  counties: readonly County[];
}

const c = (code: string, name: string): County => ({ code, name });

export const SICHUAN_CITIES: readonly City[] = [
  {
    code: '510100',
    name: '成都市',
    counties: [
      c('510104', '锦江区'),
      c('510105', '青羊区'),
      c('510106', '金牛区'),
      c('510107', '武侯区'),
      c('510108', '成华区'),
      c('510112', '龙泉驿区'),
      c('510121', '金堂县'),
      c('510129', '大邑县'),
      c('510131', '蒲江县'),
    ],
  },
  {
    code: '510300',
    name: '自贡市',
    counties: [
      c('510302', '自流井区'),
      c('510303', '贡井区'),
      c('510304', '大安区'),
      c('510311', '沿滩区'),
      c('510321', '荣县'),
      c('510322', '富顺县'),
    ],
  },
  {
    code: '510500',
    name: '泸州市',
    counties: [
      c('510502', '江阳区'),
      c('510503', '纳溪区'),
      c('510504', '龙马潭区'),
      c('510521', '泸县'),
      c('510522', '合江县'),
      c('510524', '叙永县'),
      c('510525', '古蔺县'),
    ],
  },
  {
    code: '510700',
    name: '绵阳市',
    counties: [
      c('510703', '涪城区'),
      c('510704', '游仙区'),
      c('510722', '三台县'),
      c('510723', '盐亭县'),
      c('510725', '梓潼县'),
      c('510727', '平武县'),
    ],
  },
  {
    code: '511300',
    name: '南充市',
    counties: [
      c('511302', '顺庆区'),
      c('511303', '高坪区'),
      c('511321', '南部县'),
      c('511322', '营山县'),
      c('511323', '蓬安县'),
      c('511381', '阆中市'),
    ],
  },
  {
    code: '511900',
    name: '巴中市',
    counties: [c('511902', '巴州区'), c('511903', '恩阳区'), c('511921', '通江县'), c('511922', '南江县')],
  },
  {
    code: '513400',
    name: '凉山彝族自治州',
    counties: [
      c('513401', '西昌市'),
      c('513422', '木里藏族自治县'),
      c('513423', '盐源县'),
      c('513424', '德昌县'),
    ],
  },
];

/** Every county of the sample, with its city. */
export const SICHUAN_COUNTIES: readonly (County & { city: City })[] = SICHUAN_CITIES.flatMap((city) =>
  city.counties.map((county) => ({ ...county, city })),
);
