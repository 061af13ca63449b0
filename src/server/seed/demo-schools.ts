/**
 * The demo region's places, as specs (seed/demo-data.ts builds the rows): 江北省 › 临川市 › 城东区 / 青山县 / 河口县
 * and their schools with type, location, tags and founding year. All names fictional.
 */

// ---- regions ----------------------------------------------------------------------------------

export interface DistrictInfo {
  id: string;
  code: string;
  name: string;
  /** prefix of addresses and of school names in the county */
  prefix: string;
  lat: number;
  lng: number;
  bureauUser: string;
  bureauName: string;
}

export const PROVINCE = { id: 'r_0001', code: '390000', name: '江北省' };
export const CITY = { id: 'r_0002', code: '390100', name: '临川市' };
export const DISTRICTS: Record<'CD' | 'QS' | 'HK', DistrictInfo> = {
  CD: { id: 'r_0003', code: '390102', name: '城东区', prefix: '临川市城东区', lat: 30.2, lng: 117.5, bureauUser: 'bureau_cd', bureauName: '韩立新' },
  QS: { id: 'r_0004', code: '390121', name: '青山县', prefix: '临川市青山县', lat: 30.4, lng: 117.2, bureauUser: 'bureau_qs', bureauName: '邓春生' },
  HK: { id: 'r_0005', code: '390122', name: '河口县', prefix: '临川市河口县', lat: 30.0, lng: 117.8, bureauUser: 'bureau_hk', bureauName: '蔡丽娟' },
};

// ---- schools ----------------------------------------------------------------------------------

export interface SchoolSpec {
  /** short key used by the alliance and application specs below */
  k: string;
  name: string;
  d: keyof typeof DISTRICTS;
  type: string;
  loc: 'urban' | 'county_town' | 'township' | 'village';
  own?: 'public' | 'private';
  tags?: string[];
  founded: number;
  short?: string;
  /** town (镇/乡) and village (村) for township and village schools */
  town?: string;
  village?: string;
  principal?: string;
}

export const SCHOOLS: SchoolSpec[] = [
  // 城东区 (urban district; the city-level schools are located here too)
  { k: 'lcsx', name: '临川市实验小学', short: '市实小', d: 'CD', type: 'primary', loc: 'urban', tags: ['quality'], founded: 1912, principal: '孙明华' },
  { k: 'lcsx_dh', name: '临川市实验小学东湖校区', short: '市实小东湖校区', d: 'CD', type: 'primary', loc: 'urban', tags: ['new'], founded: 2021 },
  { k: 'cd_xc', name: '城东区新城小学', d: 'CD', type: 'primary', loc: 'urban', tags: ['new', 'suburban'], founded: 2022 },
  { k: 'cd_bj', name: '城东区滨江小学', d: 'CD', type: 'primary', loc: 'urban', founded: 1986 },
  { k: 'cd_jfl', name: '城东区解放路小学', d: 'CD', type: 'primary', loc: 'urban', tags: ['quality'], founded: 1951 },
  { k: 'cd_dh', name: '城东区东湖小学', d: 'CD', type: 'primary', loc: 'urban', founded: 1978 },
  { k: 'cd_ml', name: '城东区马岭小学', d: 'CD', type: 'primary', loc: 'urban', tags: ['suburban', 'weak'], founded: 1965 },
  { k: 'lcwgy', name: '临川市外国语学校', short: '市外国语', d: 'CD', type: 'twelve_year', loc: 'urban', own: 'private', tags: ['quality'], founded: 2003 },
  { k: 'lcby', name: '临川市博雅实验学校', d: 'CD', type: 'nine_year', loc: 'urban', own: 'private', founded: 2010 },
  { k: 'lc1z', name: '临川市第一中学', short: '临川一中', d: 'CD', type: 'complete_secondary', loc: 'urban', tags: ['quality'], founded: 1902 },
  { k: 'lc2z', name: '临川市第二中学', short: '临川二中', d: 'CD', type: 'senior', loc: 'urban', tags: ['quality'], founded: 1928 },
  { k: 'lc3z', name: '临川市第三中学', short: '临川三中', d: 'CD', type: 'complete_secondary', loc: 'urban', founded: 1956 },
  { k: 'cd_1c', name: '城东区第一初级中学', d: 'CD', type: 'junior', loc: 'urban', tags: ['quality'], founded: 1960 },
  { k: 'cd_2c', name: '城东区第二初级中学', d: 'CD', type: 'junior', loc: 'urban', founded: 1972 },
  { k: 'cd_3c', name: '城东区第三初级中学', d: 'CD', type: 'junior', loc: 'urban', tags: ['weak', 'suburban'], founded: 1983 },
  { k: 'cd_dhc', name: '城东区东湖初级中学', d: 'CD', type: 'junior', loc: 'urban', tags: ['new'], founded: 2020 },
  { k: 'cd_sy', name: '城东区实验学校', d: 'CD', type: 'nine_year', loc: 'urban', founded: 1995 },
  { k: 'lczz', name: '临川市职业中等专业学校', short: '临川职专', d: 'CD', type: 'vocational', loc: 'urban', tags: ['quality'], founded: 1980 },
  { k: 'lchx', name: '临川市华信职业学校', d: 'CD', type: 'vocational', loc: 'urban', own: 'private', founded: 2008 },
  { k: 'lctj', name: '临川市特殊教育学校', d: 'CD', type: 'special', loc: 'urban', founded: 1988 },
  { k: 'lcjg', name: '临川市机关幼儿园', d: 'CD', type: 'kindergarten', loc: 'urban', tags: ['quality'], founded: 1952 },
  { k: 'cd_syy', name: '城东区实验幼儿园', d: 'CD', type: 'kindergarten', loc: 'urban', founded: 1985 },
  { k: 'cd_dhy', name: '城东区东湖幼儿园', d: 'CD', type: 'kindergarten', loc: 'urban', tags: ['new'], founded: 2021 },
  { k: 'lcqmx', name: '临川市启明星幼儿园', d: 'CD', type: 'kindergarten', loc: 'urban', own: 'private', founded: 2012 },
  // 青山县
  { k: 'qs_sx', name: '青山县实验小学', d: 'QS', type: 'primary', loc: 'county_town', tags: ['quality'], founded: 1940 },
  { k: 'qs_cg2', name: '青山县城关第二小学', d: 'QS', type: 'primary', loc: 'county_town', founded: 1975 },
  { k: 'qs_cgzx', name: '青山县城关镇中心小学', d: 'QS', type: 'primary', loc: 'county_town', founded: 1958 },
  { k: 'qs_1z', name: '青山县第一中学', d: 'QS', type: 'complete_secondary', loc: 'county_town', tags: ['quality'], founded: 1923 },
  { k: 'qs_2z', name: '青山县第二中学', d: 'QS', type: 'junior', loc: 'county_town', founded: 1968 },
  { k: 'qs_zg', name: '青山县职业高级中学', d: 'QS', type: 'vocational', loc: 'county_town', founded: 1984 },
  { k: 'qs_tj', name: '青山县特殊教育学校', d: 'QS', type: 'special', loc: 'county_town', tags: ['small'], founded: 2012 },
  { k: 'qs_cgy', name: '青山县城关幼儿园', d: 'QS', type: 'kindergarten', loc: 'county_town', founded: 1980 },
  { k: 'qs_smx', name: '青山县石门镇中心小学', d: 'QS', type: 'primary', loc: 'township', tags: ['rural'], founded: 1956, town: '石门镇', principal: '刘德福' },
  { k: 'qs_smz', name: '青山县石门镇中学', d: 'QS', type: 'junior', loc: 'township', tags: ['rural', 'weak'], founded: 1969, town: '石门镇' },
  { k: 'qs_smy', name: '青山县石门镇中心幼儿园', d: 'QS', type: 'kindergarten', loc: 'township', tags: ['rural'], founded: 2014, town: '石门镇' },
  {
    k: 'qs_smc',
    name: '青山县石门村教学点',
    d: 'QS',
    type: 'teaching_point',
    loc: 'village',
    tags: ['rural', 'small', 'weak'],
    founded: 1958,
    town: '石门镇',
    village: '石门村',
  },
  {
    k: 'qs_hl',
    name: '青山县石门镇黄岭村小学',
    d: 'QS',
    type: 'primary',
    loc: 'village',
    tags: ['rural', 'small', 'weak'],
    founded: 1963,
    town: '石门镇',
    village: '黄岭村',
  },
  { k: 'qs_bsx', name: '青山县白沙乡中心小学', d: 'QS', type: 'primary', loc: 'township', tags: ['rural', 'weak'], founded: 1962, town: '白沙乡' },
  { k: 'qs_bsy', name: '青山县白沙乡中心幼儿园', d: 'QS', type: 'kindergarten', loc: 'township', tags: ['rural', 'new'], founded: 2020, town: '白沙乡' },
  {
    k: 'qs_zl',
    name: '青山县白沙乡竹林村小学',
    d: 'QS',
    type: 'primary',
    loc: 'village',
    tags: ['rural', 'small', 'weak'],
    founded: 1965,
    town: '白沙乡',
    village: '竹林村',
  },
  { k: 'qs_ltx', name: '青山县龙潭镇中心小学', d: 'QS', type: 'primary', loc: 'township', tags: ['rural'], founded: 1957, town: '龙潭镇' },
  { k: 'qs_ltz', name: '青山县龙潭镇中学', d: 'QS', type: 'junior', loc: 'township', tags: ['rural'], founded: 1970, town: '龙潭镇' },
  { k: 'qs_lt9', name: '青山县龙潭镇九年一贯制学校', d: 'QS', type: 'nine_year', loc: 'township', tags: ['rural'], founded: 1972, town: '龙潭镇' },
  {
    k: 'qs_ty',
    name: '青山县龙潭镇桃源村教学点',
    d: 'QS',
    type: 'teaching_point',
    loc: 'village',
    tags: ['rural', 'small'],
    founded: 1960,
    town: '龙潭镇',
    village: '桃源村',
  },
  {
    k: 'qs_mz',
    name: '青山县白沙乡茅竹村幼儿园',
    d: 'QS',
    type: 'kindergarten',
    loc: 'village',
    tags: ['rural', 'small'],
    founded: 2018,
    town: '白沙乡',
    village: '茅竹村',
  },
  // 河口县
  { k: 'hk_1x', name: '河口县第一小学', d: 'HK', type: 'primary', loc: 'county_town', tags: ['quality'], founded: 1930 },
  { k: 'hk_2x', name: '河口县第二小学', d: 'HK', type: 'primary', loc: 'county_town', founded: 1978 },
  { k: 'hk_1z', name: '河口县第一中学', d: 'HK', type: 'complete_secondary', loc: 'county_town', tags: ['quality'], founded: 1938 },
  { k: 'hk_2z', name: '河口县第二中学', d: 'HK', type: 'senior', loc: 'county_town', founded: 1958 },
  { k: 'hk_cgc', name: '河口县城关初级中学', d: 'HK', type: 'junior', loc: 'county_town', founded: 1970 },
  { k: 'hk_zj', name: '河口县职业技术学校', d: 'HK', type: 'vocational', loc: 'county_town', founded: 1985 },
  { k: 'hk_tj', name: '河口县特殊教育学校', d: 'HK', type: 'special', loc: 'county_town', tags: ['small', 'new'], founded: 2019 },
  { k: 'hk_syy', name: '河口县实验幼儿园', d: 'HK', type: 'kindergarten', loc: 'county_town', founded: 1983 },
  { k: 'hk_yc', name: '河口县育才学校', d: 'HK', type: 'twelve_year', loc: 'county_town', own: 'private', founded: 2015 },
  { k: 'hk_yl9', name: '河口县杨柳乡九年一贯制学校', d: 'HK', type: 'nine_year', loc: 'township', tags: ['rural', 'weak'], founded: 1968, town: '杨柳乡' },
  { k: 'hk_ylx', name: '河口县杨柳乡中心小学', d: 'HK', type: 'primary', loc: 'township', tags: ['rural', 'weak'], founded: 1960, town: '杨柳乡' },
  { k: 'hk_yly', name: '河口县杨柳乡中心幼儿园', d: 'HK', type: 'kindergarten', loc: 'township', tags: ['rural'], founded: 2016, town: '杨柳乡' },
  {
    k: 'hk_gq',
    name: '河口县杨柳乡高桥村小学',
    d: 'HK',
    type: 'primary',
    loc: 'village',
    tags: ['rural', 'small', 'weak'],
    founded: 1966,
    town: '杨柳乡',
    village: '高桥村',
  },
  {
    k: 'hk_sq',
    name: '河口县杨柳乡石桥村教学点',
    d: 'HK',
    type: 'teaching_point',
    loc: 'village',
    tags: ['rural', 'small', 'weak'],
    founded: 1961,
    town: '杨柳乡',
    village: '石桥村',
  },
  { k: 'hk_dkx', name: '河口县渡口镇中心小学', d: 'HK', type: 'primary', loc: 'township', tags: ['rural'], founded: 1955, town: '渡口镇' },
  { k: 'hk_dkc', name: '河口县渡口镇初级中学', d: 'HK', type: 'junior', loc: 'township', tags: ['rural'], founded: 1966, town: '渡口镇' },
  { k: 'hk_dky', name: '河口县渡口镇中心幼儿园', d: 'HK', type: 'kindergarten', loc: 'township', tags: ['rural'], founded: 2015, town: '渡口镇' },
  {
    k: 'hk_lw',
    name: '河口县渡口镇柳湾村教学点',
    d: 'HK',
    type: 'teaching_point',
    loc: 'village',
    tags: ['rural', 'small', 'weak'],
    founded: 1959,
    town: '渡口镇',
    village: '柳湾村',
  },
  {
    k: 'hk_sz',
    name: '河口县渡口镇沙洲村小学',
    d: 'HK',
    type: 'primary',
    loc: 'village',
    tags: ['rural', 'small'],
    founded: 1964,
    town: '渡口镇',
    village: '沙洲村',
  },
];

export const ROADS = ['人民路', '解放路', '建设路', '文化路', '东湖路', '滨江大道', '新华路', '学府路', '青年路', '中山路', '育才路', '光明路'];
