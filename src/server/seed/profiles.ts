/**
 * Realistic sizes and resource indicators per school type and location. Urban and high-quality
 * schools are better resourced than township and village schools, so the equity statistics
 * (S6.2, 县域义务教育优质均衡 indicators) show a real gap.
 */
import type { SchoolIndicatorsTable } from '../db/schema.js';
import type { Rng } from './random.js';

type Range = [number, number];
type ByLocation = Partial<Record<'urban' | 'county_town' | 'township' | 'village', Range>>;

/** Enrolment ranges by type and location. */
const STUDENTS: Record<string, ByLocation> = {
  primary: { urban: [1500, 3000], county_town: [1000, 2200], township: [400, 1000], village: [60, 260] },
  junior: { urban: [1200, 2400], county_town: [1000, 2000], township: [400, 900], village: [150, 400] },
  nine_year: { urban: [1500, 2800], county_town: [1000, 2000], township: [450, 1200], village: [150, 450] },
  complete_secondary: { urban: [2600, 4200], county_town: [1800, 3200], township: [900, 1600], village: [600, 1000] },
  senior: { urban: [2000, 3600], county_town: [1500, 3000], township: [800, 1500], village: [600, 1000] },
  twelve_year: { urban: [2200, 3800], county_town: [1500, 2600], township: [800, 1500], village: [500, 900] },
  vocational: { urban: [1800, 3200], county_town: [1000, 2200], township: [600, 1200], village: [400, 800] },
  special: { urban: [150, 320], county_town: [60, 180], township: [40, 100], village: [30, 80] },
  kindergarten: { urban: [300, 600], county_town: [220, 450], township: [100, 300], village: [30, 90] },
  teaching_point: { urban: [40, 120], county_town: [30, 100], township: [25, 90], village: [20, 80] },
};

/** Students per class. */
const CLASS_SIZE: Record<string, number> = {
  primary: 45,
  junior: 48,
  nine_year: 46,
  complete_secondary: 50,
  senior: 50,
  twelve_year: 45,
  vocational: 45,
  special: 10,
  kindergarten: 30,
  teaching_point: 12,
};

/** Students per full-time teacher. */
const STUDENT_TEACHER: Record<string, Range> = {
  primary: [16, 19],
  junior: [12, 13.5],
  nine_year: [13, 15],
  complete_secondary: [12, 13],
  senior: [12, 13],
  twelve_year: [12, 14],
  vocational: [17, 20],
  special: [3, 4],
  kindergarten: [9, 12],
  teaching_point: [10, 14],
};

/** Resource factor: 1 ≈ a well-equipped urban school, 0.3 ≈ a village school. */
export function qualityFactor(location: string, tags: readonly string[], ownership: string): number {
  let q = { urban: 1, county_town: 0.78, township: 0.55, village: 0.34 }[location] ?? 0.6;
  if (tags.includes('quality')) q += 0.15;
  if (tags.includes('weak')) q -= 0.12;
  if (ownership === 'private') q += 0.03;
  return Math.max(0.2, Math.min(1.2, q));
}

export interface SchoolSize {
  students: number;
  teachers: number;
  classes: number;
}

export function schoolSize(rng: Rng, type: string, location: string, tags: readonly string[]): SchoolSize {
  const byLoc = STUDENTS[type] ?? STUDENTS.primary;
  let [lo, hi] = byLoc[location as keyof ByLocation] ?? byLoc.county_town ?? [300, 800];
  if (tags.includes('new')) hi = Math.round(lo + (hi - lo) * 0.6); // still filling up
  if (tags.includes('small') && type !== 'teaching_point' && type !== 'special') hi = Math.min(hi, Math.max(lo + 20, 200));
  if (tags.includes('small')) lo = Math.min(lo, Math.round(hi * 0.5));
  const students = rng.int(lo, hi);
  const [r0, r1] = STUDENT_TEACHER[type] ?? [15, 18];
  let ratio = rng.range(r0, r1);
  if (location === 'village' && type !== 'teaching_point') ratio *= 0.8; // small village schools
  const teachers = Math.max(2, Math.round(students / ratio));
  const size = type === 'primary' && location === 'village' ? 20 : (CLASS_SIZE[type] ?? 40);
  const classes = Math.max(1, Math.ceil(students / size));
  return { students, teachers, classes };
}

type IndicatorValues = Omit<SchoolIndicatorsTable, 'school_id' | 'year' | 'updated_by' | 'updated_at'>;

const round1 = (n: number): number => Math.round(n * 10) / 10;

/**
 * Raw indicator values for one school and year. `size` is the enrolment that year; `growth` < 1
 * scales resources down for earlier years (schools improve a little every year).
 */
export function indicatorValues(
  rng: Rng,
  school: { type: string; location: string; tags: readonly string[]; ownership: string },
  size: { students: number; teachers: number },
  growth = 1,
): IndicatorValues {
  const q = qualityFactor(school.location, school.tags, school.ownership);
  const isNew = school.tags.includes('new');
  const jitter = () => rng.range(0.92, 1.08);
  const { students, teachers } = size;
  const share = (x: number) => Math.max(0, Math.min(1, x));
  const teachersAboveDegree = Math.round(teachers * share((0.18 + 0.75 * q) * jitter()));
  const keyTeachers = Math.round(teachers * share((0.01 + (isNew ? 0.12 : 0.24) * q) * jitter()));
  const peArt = Math.round(teachers * share((0.05 + 0.11 * q) * jitter()));
  const facility = isNew ? q + 0.2 : q;
  const teachingArea = students * (2.8 + 4.2 * facility) * jitter() * growth;
  const sportsArea = students * (2.2 + 5.6 * facility) * jitter() * growth;
  const equipment = students * (400 + 4200 * facility) * jitter() * growth;
  const multimedia = Math.round(((students * (0.4 + 2.8 * facility)) / 100) * jitter() * growth);
  const booksPer = school.type === 'kindergarten' ? 8 + 10 * q : 14 + 32 * q;
  const books = Math.round((students * booksPer * jitter() * growth) / 10) * 10;
  return {
    students,
    teachers,
    teachers_above_degree: teachersAboveDegree,
    key_teachers: keyTeachers,
    pe_art_teachers: peArt,
    teaching_area_m2: round1(teachingArea),
    sports_area_m2: round1(sportsArea),
    equipment_value_yuan: Math.round(equipment / 100) * 100,
    multimedia_rooms: Math.max(students >= 40 ? 1 : 0, multimedia),
    books,
  };
}
