/**
 * Deterministic helpers for the demo and province seeds: a seeded PRNG, calendar arithmetic on
 * YYYY-MM-DD strings, Chinese personal names and the official-looking school identifiers.
 * Nothing here reads the clock or Math.random: the same input always gives the same data.
 */

/** mulberry32: small, fast, good enough for demo data. Returns floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a: turns a label into a seed, so each part of the data has its own independent stream. */
export function hashSeed(label: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export class Rng {
  private readonly next: () => number;
  constructor(seed: number | string) {
    this.next = mulberry32(typeof seed === 'string' ? hashSeed(seed) : seed);
  }
  float(): number {
    return this.next();
  }
  /** Integer in [min, max] (inclusive). */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  /** Float in [min, max). */
  range(min: number, max: number): number {
    return min + this.next() * (max - min);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }
  shuffle<T>(items: readonly T[]): T[] {
    const out = items.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
  }
  /** `n` distinct items (fewer when the list is shorter). */
  sample<T>(items: readonly T[], n: number): T[] {
    return this.shuffle(items).slice(0, n);
  }
  digits(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += String(this.int(0, 9));
    return s;
  }
}

// ---- dates (YYYY-MM-DD, calendar arithmetic in UTC) ------------------------------------------

function parse(date: string): [number, number, number] {
  const [y, m, d] = date.split('-').map(Number);
  return [y, m, d];
}

function fmt(y: number, m: number, d: number): string {
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

export function addDays(date: string, days: number): string {
  const [y, m, d] = parse(date);
  const t = new Date(Date.UTC(y, m - 1, d + days));
  return fmt(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
}

/** Adds calendar months; the day is clamped to the end of the target month (01-31 + 1 month = 02-28). */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = parse(date);
  const total = y * 12 + (m - 1) + months;
  const ty = Math.floor(total / 12);
  const tm = total - ty * 12 + 1;
  const last = new Date(Date.UTC(ty, tm, 0)).getUTCDate();
  return fmt(ty, tm, Math.min(d, last));
}

export const addYears = (date: string, years: number): string => addMonths(date, years * 12);

/** First day of the month `months` months away from `date`. */
export function monthStart(date: string, months = 0): string {
  const [y, m] = parse(addMonths(date, months));
  return fmt(y, m, 1);
}

export const yearOf = (date: string): number => parse(date)[0];

/** An ISO instant (UTC, milliseconds) on `date`, `minutes` after 00:00 UTC (08:00 Beijing time). */
export function instant(date: string, minutes = 60): string {
  const [y, m, d] = parse(date);
  return new Date(Date.UTC(y, m - 1, d, 0, minutes)).toISOString();
}

export const maxDate = (a: string, b: string): string => (a > b ? a : b);
export const minDate = (a: string, b: string): string => (a < b ? a : b);

// ---- Chinese names ----------------------------------------------------------------------------

const SURNAMES = [
  '王',
  '李',
  '张',
  '刘',
  '陈',
  '杨',
  '黄',
  '赵',
  '吴',
  '周',
  '徐',
  '孙',
  '马',
  '朱',
  '胡',
  '郭',
  '何',
  '高',
  '林',
  '罗',
  '郑',
  '梁',
  '谢',
  '宋',
  '唐',
  '许',
  '韩',
  '冯',
  '邓',
  '曹',
  '彭',
  '曾',
  '肖',
  '田',
  '董',
  '袁',
  '潘',
  '于',
  '蒋',
  '蔡',
  '余',
  '杜',
  '叶',
  '程',
  '苏',
  '魏',
  '吕',
  '丁',
  '任',
  '沈',
  '姚',
  '卢',
  '姜',
  '崔',
  '钟',
  '谭',
  '陆',
  '汪',
  '范',
  '金',
  '石',
  '廖',
  '贾',
  '夏',
  '韦',
  '付',
  '方',
  '白',
  '邹',
  '孟',
  '熊',
  '秦',
  '邱',
  '江',
  '尹',
  '薛',
  '闫',
  '段',
  '雷',
  '侯',
];
const GIVEN_M = [
  '建国',
  '志强',
  '国华',
  '明华',
  '德福',
  '海涛',
  '文博',
  '俊杰',
  '子轩',
  '浩然',
  '宇航',
  '伟',
  '强',
  '军',
  '勇',
  '磊',
  '涛',
  '斌',
  '超',
  '鹏',
  '杰',
  '刚',
  '辉',
  '峰',
  '建华',
  '立新',
  '永红',
  '振宇',
  '卫东',
  '晓东',
  '文军',
  '志远',
  '国庆',
  '春生',
  '家豪',
  '思远',
  '一鸣',
  '正阳',
  '明轩',
  '嘉豪',
  '学文',
  '继平',
  '宏伟',
  '新民',
  '守仁',
];
const GIVEN_F = [
  '秀梅',
  '丽华',
  '晓燕',
  '婷',
  '静',
  '敏',
  '芳',
  '娜',
  '丽',
  '艳',
  '霞',
  '慧',
  '洁',
  '颖',
  '倩',
  '雪',
  '琳',
  '晶',
  '玉兰',
  '桂英',
  '春梅',
  '海燕',
  '红霞',
  '雅琴',
  '文静',
  '晓丽',
  '思雨',
  '欣怡',
  '梓涵',
  '雨桐',
  '佳怡',
  '诗涵',
  '淑芬',
  '美玲',
  '丽娟',
  '晓红',
  '秋月',
  '凤英',
  '月娥',
  '慧敏',
];

export function personName(rng: Rng): string {
  const given = rng.chance(0.5) ? rng.pick(GIVEN_M) : rng.pick(GIVEN_F);
  return rng.pick(SURNAMES) + given;
}

// ---- identifiers ------------------------------------------------------------------------------

const CREDIT_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const CREDIT_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];

/** 组织机构代码 (GB 11714): 8 digits + check character. */
function orgCode(body8: string): string {
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += Number(body8[i]) * ORG_WEIGHTS[i];
  const c = 11 - (sum % 11);
  return body8 + (c === 10 ? 'X' : c === 11 ? '0' : String(c));
}

/**
 * 统一社会信用代码 (GB 32100-2015) with a valid check character: '12' (机构编制 · 事业单位) for public
 * schools, '52' (民政 · 民办非企业单位) for private ones, then the 6-digit region code and the 9-character
 * organization code. `serial` makes it unique.
 */
export function creditCode(ownership: string, regionCode: string, serial: number): string {
  const prefix = ownership === 'private' ? '52' : '12';
  const body8 = String((serial * 7919 + 10_000_000) % 100_000_000).padStart(8, '0');
  const head = prefix + regionCode + orgCode(body8);
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += CREDIT_CHARS.indexOf(head[i]) * CREDIT_WEIGHTS[i];
  const c = (31 - (sum % 31)) % 31;
  return head + CREDIT_CHARS[c];
}

/** 10-digit 学校标识码 style: '3' + 6-digit region code + 3-digit serial within the region. */
export function schoolCode(regionCode: string, serial: number): string {
  return `3${regionCode}${String(serial).padStart(3, '0')}`;
}

export const pad = (n: number, width: number): string => String(n).padStart(width, '0');
