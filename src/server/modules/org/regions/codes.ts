/**
 * Administrative division codes (GB/T 2260, 中华人民共和国行政区划代码): pure rules, no I/O.
 *
 * A code has six digits: two for the province, two for the city (地级), two for the county (县级).
 *  - province (省级): `PP0000`            e.g. 360000 江西省, 110000 北京市
 *  - city (地市级):   `PPCC00`, CC ≠ 00   e.g. 361000 抚州市
 *  - county (区县级, stored level 'district'): `PPCCXX`, CC ≠ 00 and XX ≠ 00, e.g. 361002 临川区
 * Parents: a province has none; a city lies under a province; a county lies under a city, or directly
 * under a province — the districts of the 直辖市 (北京 110101 东城区 under 110000) and the 省直辖县级市
 * (湖北 429004 仙桃市 under 420000) are real county-level units without a city above them.
 * A child's code starts with its parent's prefix: two digits under a province, four under a city.
 */
import type { RawFieldError } from '../../../platform/errors.js';

export const REGION_LEVELS = ['province', 'city', 'district'] as const;
export type RegionLevel = (typeof REGION_LEVELS)[number];

export const REGION_CODE_RE = /^[1-9]\d{5}$/;

/** The level a well-formed code denotes, or null when the code is not a GB/T 2260 code. */
export function levelOf(code: string): RegionLevel | null {
  if (!REGION_CODE_RE.test(code)) return null;
  const city = code.slice(2, 4);
  const county = code.slice(4, 6);
  if (city === '00') return county === '00' ? 'province' : null;
  return county === '00' ? 'city' : 'district';
}

/** How many leading digits a child shares with a parent of this level. */
export const prefixLength = (parentLevel: RegionLevel) => (parentLevel === 'province' ? 2 : 4);

export interface ParentRef {
  code: string;
  level: RegionLevel;
}

/**
 * Problems of a code under a parent (null: a top-level region), as field errors on `codeField` and
 * `parentField`. Empty when the code fits.
 */
export function codeProblems(code: string, parent: ParentRef | null, codeField = 'code', parentField = 'parentId'): RawFieldError[] {
  const level = levelOf(code);
  if (!level) return [{ field: codeField, code: 'region_code' }];
  if (level === 'province') {
    return parent ? [{ field: parentField, code: 'region_province_no_parent' }] : [];
  }
  if (!parent) return [{ field: parentField, code: level === 'city' ? 'region_parent_province' : 'region_parent_city' }];
  if (level === 'city' && parent.level !== 'province') return [{ field: parentField, code: 'region_parent_province' }];
  if (level === 'district' && parent.level === 'district') return [{ field: parentField, code: 'region_parent_city' }];
  const n = prefixLength(parent.level);
  const prefix = parent.code.slice(0, n);
  if (!code.startsWith(prefix)) return [{ field: codeField, code: 'region_code_prefix', params: { prefix, n } }];
  return [];
}
