/**
 * Province-scale data for benchmarks (SPEC Appendix B): 1 province (海川省, fictional), 16 cities,
 * 130 districts/counties, 10,140 schools, 1,040 alliances (8 per district), one year of indicators, a bureau admin
 * per city and district, and the accounts `bench_bureau` (province) and `bench_city` (first city).
 * Ids are prefixed (pr_, ps_, pa_, pm_, pu_, pg_) and codes use region 38xxxx, so the province can
 * sit next to the demo region (39xxxx) in one database.
 */
import type { AllianceMembersTable, AlliancesTable, RegionsTable, RoleGrantsTable, SchoolIndicatorsTable, SchoolsTable, UsersTable } from '../db/schema.js';
import { Rng, addMonths, creditCode, instant, monthStart, pad, personName, schoolCode, yearOf, addDays } from './random.js';
import { indicatorValues, schoolSize } from './profiles.js';

export const PROVINCE_CODE = '380000';

const CITY_NAMES = ['东陵', '西原', '南屏', '北岭', '云泽', '青峰', '白河', '玉泉', '长风', '清溪', '丹霞', '星湖', '鹿鸣', '澄江', '霞浦', '雁门'];
const URBAN_DISTRICTS = ['城关区', '东城区', '西城区', '新区'];
const C1 = [
  '青',
  '白',
  '黄',
  '安',
  '平',
  '清',
  '长',
  '永',
  '富',
  '兴',
  '宁',
  '和',
  '丰',
  '仁',
  '义',
  '德',
  '文',
  '新',
  '崇',
  '龙',
  '凤',
  '石',
  '云',
  '松',
  '柳',
  '桃',
  '梅',
  '竹',
  '莲',
  '金',
  '银',
  '双',
  '三',
  '大',
  '小',
  '高',
  '古',
  '红',
  '绿',
  '碧',
];
const C2 = [
  '山',
  '水',
  '河',
  '川',
  '阳',
  '源',
  '江',
  '溪',
  '林',
  '田',
  '原',
  '坪',
  '岗',
  '湖',
  '泉',
  '桥',
  '口',
  '坝',
  '岭',
  '塘',
  '洲',
  '湾',
  '冲',
  '沟',
  '庄',
  '堡',
  '集',
  '店',
];
const CN_DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/** 1 → 一, 12 → 十二, 30 → 三十 (1–99). */
export function cnNumber(n: number): string {
  if (n < 10) return CN_DIGITS[n];
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  return `${tens === 1 ? '' : CN_DIGITS[tens]}十${ones ? CN_DIGITS[ones] : ''}`;
}

interface Slot {
  type: string;
  loc: 'urban' | 'county_town' | 'township' | 'village';
  count: number;
}
const URBAN_MIX: Slot[] = [
  { type: 'primary', loc: 'urban', count: 30 },
  { type: 'junior', loc: 'urban', count: 14 },
  { type: 'nine_year', loc: 'urban', count: 4 },
  { type: 'complete_secondary', loc: 'urban', count: 3 },
  { type: 'senior', loc: 'urban', count: 3 },
  { type: 'twelve_year', loc: 'urban', count: 1 },
  { type: 'vocational', loc: 'urban', count: 2 },
  { type: 'special', loc: 'urban', count: 1 },
  { type: 'kindergarten', loc: 'urban', count: 20 },
];
const COUNTY_MIX: Slot[] = [
  { type: 'primary', loc: 'county_town', count: 5 },
  { type: 'primary', loc: 'township', count: 15 },
  { type: 'primary', loc: 'village', count: 12 },
  { type: 'teaching_point', loc: 'village', count: 8 },
  { type: 'junior', loc: 'county_town', count: 3 },
  { type: 'junior', loc: 'township', count: 8 },
  { type: 'nine_year', loc: 'township', count: 4 },
  { type: 'complete_secondary', loc: 'county_town', count: 2 },
  { type: 'senior', loc: 'county_town', count: 2 },
  { type: 'vocational', loc: 'county_town', count: 1 },
  { type: 'special', loc: 'county_town', count: 1 },
  { type: 'kindergarten', loc: 'county_town', count: 4 },
  { type: 'kindergarten', loc: 'township', count: 13 },
];

export interface ProvinceData {
  regions: RegionsTable[];
  schools: SchoolsTable[];
  indicators: SchoolIndicatorsTable[];
  alliances: AlliancesTable[];
  members: AllianceMembersTable[];
  users: UsersTable[];
  grants: RoleGrantsTable[];
}

function uniqueNames(rng: Rng, n: number, suffix: string, taken: Set<string>): string[] {
  const out: string[] = [];
  let guard = 0;
  while (out.length < n && guard++ < 10_000) {
    const name = rng.pick(C1) + rng.pick(C2) + suffix;
    if (taken.has(name)) continue;
    taken.add(name);
    out.push(name);
  }
  return out;
}

export function buildProvince(today: string, passwordHash: string): ProvinceData {
  const rng = new Rng('province');
  const Y = yearOf(today);
  const setupAt = instant(addMonths(today, -12));
  const data: ProvinceData = { regions: [], schools: [], indicators: [], alliances: [], members: [], users: [], grants: [] };
  const provinceId = 'pr_0001';
  data.regions.push({ id: provinceId, parent_id: null, level: 'province', code: PROVINCE_CODE, name: '海川省', created_at: setupAt });

  let regionSerial = 1;
  let schoolSerial = 0;
  let allianceSerial = 0;
  let memberSerial = 0;
  let grantSerial = 0;
  const addUser = (id: string, username: string, regionId: string) => {
    data.users.push({
      id,
      username,
      display_name: personName(rng),
      email: null,
      phone: null,
      password_hash: passwordHash,
      must_change_password: 0,
      password_changed_at: instant(today),
      school_id: null,
      region_id: regionId,
      locale: 'zh-CN',
      status: 'active',
      failed_logins: 0,
      locked_until: null,
      oidc_subject: null,
      last_login_at: null,
      created_at: setupAt,
      updated_at: setupAt,
    });
    grantSerial++;
    data.grants.push({
      id: `pg_${pad(grantSerial, 5)}`,
      user_id: id,
      role: 'bureau_admin',
      scope_type: 'region',
      scope_id: regionId,
      subject: null,
      granted_by: null,
      granted_at: setupAt,
    });
  };
  addUser('pu_bench_bureau', 'bench_bureau', provinceId);

  CITY_NAMES.forEach((stem, ci) => {
    const cityId = `pr_${pad(++regionSerial, 4)}`;
    const cityCode = `38${pad(ci + 1, 2)}00`;
    const cityName = `${stem}市`;
    data.regions.push({ id: cityId, parent_id: provinceId, level: 'city', code: cityCode, name: cityName, created_at: setupAt });
    addUser(`pu_${cityCode}`, `pb_${cityCode}`, cityId);
    if (ci === 0) addUser('pu_bench_city', 'bench_city', cityId);
    const cityLat = 28 + rng.range(0, 4);
    const cityLng = 113 + rng.range(0, 5);
    const districtCount = ci < 2 ? 9 : 8;
    const urbanCount = ci < 4 ? 3 : 2;
    const taken = new Set<string>();
    const countyNames = uniqueNames(rng, districtCount - urbanCount, '县', taken);
    let cityHighSchool = 0;
    for (let di = 0; di < districtCount; di++) {
      const urban = di < urbanCount;
      const districtId = `pr_${pad(++regionSerial, 4)}`;
      const districtCode = `38${pad(ci + 1, 2)}${urban ? pad(di + 2, 2) : pad(21 + di - urbanCount, 2)}`;
      const dName = urban ? URBAN_DISTRICTS[di] : countyNames[di - urbanCount];
      data.regions.push({ id: districtId, parent_id: cityId, level: 'district', code: districtCode, name: dName, created_at: setupAt });
      addUser(`pu_${districtCode}`, `pb_${districtCode}`, districtId);

      const full = `${cityName}${dName}`;
      // urban district names repeat between cities (城关区, 东城区…): school names carry the city
      const prefix = urban ? full : dName;
      const towns = urban ? [] : uniqueNames(rng, 16, rng.chance(0.7) ? '镇' : '乡', new Set());
      const villageNames = new Set<string>();
      const cLat = cityLat + rng.range(-0.5, 0.5);
      const cLng = cityLng + rng.range(-0.5, 0.5);
      const counters = new Map<string, number>();
      const next = (k: string) => {
        const n = (counters.get(k) ?? 0) + 1;
        counters.set(k, n);
        return n;
      };
      const districtSchools: SchoolsTable[] = [];
      let serialInDistrict = 0;
      for (const slot of urban ? URBAN_MIX : COUNTY_MIX) {
        for (let n = 0; n < slot.count; n++) {
          const town = towns.length ? towns[next(`town-${slot.type}-${slot.loc}`) % towns.length] : '';
          const village = slot.loc === 'village' ? (uniqueNames(rng, 1, '村', villageNames)[0] ?? `${n + 1}村`) : '';
          let name: string;
          let ownership: 'public' | 'private' = 'public';
          switch (slot.type) {
            case 'primary':
              name =
                slot.loc === 'village'
                  ? `${prefix}${town}${village}小学`
                  : slot.loc === 'township'
                    ? `${prefix}${town}中心小学`
                    : `${prefix}第${cnNumber(next('p'))}小学`;
              break;
            case 'teaching_point':
              name = `${prefix}${town}${village}教学点`;
              break;
            case 'junior':
              name = slot.loc === 'township' ? `${prefix}${town}中学` : `${prefix}第${cnNumber(next('j'))}初级中学`;
              break;
            case 'nine_year':
              name = slot.loc === 'township' ? `${prefix}${town}九年一贯制学校` : `${prefix}第${cnNumber(next('n'))}实验学校`;
              break;
            case 'complete_secondary':
            case 'senior':
              name = urban ? `${cityName}第${cnNumber(++cityHighSchool)}中学` : `${prefix}第${cnNumber(next('h'))}中学`;
              break;
            case 'twelve_year':
              name = `${cityName}${dName.replace(/区$/, '')}外国语学校`;
              ownership = 'private';
              break;
            case 'vocational':
              name = n === 0 ? `${prefix}职业技术学校` : `${full}职业中等专业学校`;
              if (n > 0 && rng.chance(0.5)) ownership = 'private';
              break;
            case 'special':
              name = `${prefix}特殊教育学校`;
              break;
            default:
              name = slot.loc === 'township' ? `${prefix}${town}中心幼儿园` : `${prefix}第${cnNumber(next('k'))}幼儿园`;
              if (urban && rng.chance(0.3)) ownership = 'private';
          }
          const tags: string[] = [];
          if (slot.loc === 'township' || slot.loc === 'village') tags.push('rural');
          if (slot.loc === 'village') tags.push('small');
          if ((slot.loc === 'urban' || slot.loc === 'county_town') && rng.chance(0.18)) tags.push('quality');
          else if (rng.chance(slot.loc === 'village' ? 0.6 : slot.loc === 'township' ? 0.3 : 0.08)) tags.push('weak');
          if (slot.loc === 'urban' && rng.chance(0.1)) tags.push('new');
          const size = schoolSize(rng, slot.type, slot.loc, tags);
          schoolSerial++;
          serialInDistrict++;
          const id = `ps_${pad(schoolSerial, 5)}`;
          const spread = slot.loc === 'urban' || slot.loc === 'county_town' ? 0.05 : 0.25;
          const row: SchoolsTable = {
            id,
            region_id: districtId,
            code: schoolCode(districtCode, serialInDistrict),
            credit_code: creditCode(ownership, districtCode, 100_000 + schoolSerial),
            name,
            short_name: null,
            type: slot.type,
            ownership,
            location: slot.loc,
            tags: JSON.stringify(tags),
            address:
              slot.loc === 'village'
                ? `${full}${town}${village}`
                : slot.loc === 'township'
                  ? `${full}${town}`
                  : `${full}${rng.pick(['人民路', '建设路', '文化路', '学府路', '新华路'])}${rng.int(1, 400)}号`,
            lat: Math.round((cLat + rng.range(-spread, spread)) * 1e6) / 1e6,
            lng: Math.round((cLng + rng.range(-spread, spread)) * 1e6) / 1e6,
            principal: personName(rng),
            phone: null,
            founded_year: tags.includes('new') ? rng.int(Y - 6, Y - 1) : rng.int(1920, 2010),
            students: size.students,
            teachers: size.teachers,
            classes: size.classes,
            created_at: setupAt,
            updated_at: setupAt,
          };
          data.schools.push(row);
          districtSchools.push(row);
          data.indicators.push({
            school_id: id,
            year: Y - 1,
            ...indicatorValues(rng, { type: slot.type, location: slot.loc, tags, ownership }, size),
            updated_by: null,
            updated_at: setupAt,
          });
        }
      }

      // 8 alliances per district, each around a different core school
      const fusionSchools = new Set<string>();
      const strong = districtSchools.filter(
        (s) =>
          s.ownership === 'public' && (s.location === 'urban' || s.location === 'county_town') && !['special', 'kindergarten', 'vocational'].includes(s.type),
      );
      const cores = rng.sample(strong, 8);
      for (const core of cores) {
        const r = rng.float();
        let kind: 'fusion' | 'aggregation' | 'union' = r < 0.2 ? 'fusion' : r < 0.65 ? 'aggregation' : 'union';
        if (kind === 'fusion' && fusionSchools.has(core.id)) kind = 'aggregation'; // at most one 融合型 group per school
        const pattern = rng.pick(['mother_child', 'mentor', 'partner', 'urban_rural'] as const);
        const pool = districtSchools.filter((s) => s.id !== core.id && (kind !== 'fusion' || !fusionSchools.has(s.id)));
        const members = rng.sample(pool, rng.int(3, 12));
        if (members.length < 3) continue;
        allianceSerial++;
        const id = `pa_${pad(allianceSerial, 4)}`;
        const cycleStart = monthStart(today, -rng.int(1, 34));
        const founded = rng.chance(0.4) ? `${Y - rng.int(3, 10)}-09-01` : cycleStart;
        const assessed = rng.chance(0.6) ? addDays(monthStart(today, -rng.int(1, 30)), 14) : null;
        const suffix = { fusion: '教育集团', aggregation: pattern === 'urban_rural' ? '城乡教育共同体' : '发展共同体', union: '教育联盟' }[kind];
        data.alliances.push({
          id,
          region_id: districtId,
          name: `${core.name}${suffix}`,
          kind,
          pattern,
          core_school_id: core.id,
          description: null,
          status: 'active',
          founded_on: founded < cycleStart ? founded : cycleStart,
          cycle_start_on: cycleStart,
          last_assessed_on: assessed && assessed > cycleStart ? assessed : null,
          created_at: setupAt,
          updated_at: setupAt,
        });
        for (const [i, s] of [core, ...members].entries()) {
          if (kind === 'fusion') fusionSchools.add(s.id);
          memberSerial++;
          data.members.push({
            id: `pm_${pad(memberSerial, 6)}`,
            alliance_id: id,
            school_id: s.id,
            alliance_kind: kind,
            role: i === 0 ? 'core' : 'member',
            status: 'active',
            joined_on: cycleStart,
            exited_on: null,
            exit_reason: null,
            exit_by: null,
            created_at: setupAt,
          });
        }
      }
    }
  });
  return data;
}
