/** Pure organization rules (SPEC S1): alliance cycle, re-assessment, school resource indicators. */

export type Phase = 'preparation' | 'implementation' | 'deepening';

/** 准备期 6 months, 实施期 18 months, 深化期 12 months ([000] 八). */
export const PHASE_MONTHS: Record<Phase, number> = { preparation: 6, implementation: 18, deepening: 12 };

/** Adds months to a YYYY-MM-DD date, clamping to the month's last day (2026-08-31 + 6 → 2027-02-28). */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) + months;
  const ny = Math.floor(total / 12);
  const nm = total % 12;
  const last = new Date(Date.UTC(ny, nm + 1, 0)).getUTCDate();
  return `${ny}-${String(nm + 1).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

export interface CyclePhase {
  phase: Phase;
  startOn: string;
  /** exclusive: the next phase starts that day */
  endOn: string;
}

export function alliancePhases(cycleStartOn: string): CyclePhase[] {
  const out: CyclePhase[] = [];
  let start = cycleStartOn;
  for (const phase of ['preparation', 'implementation', 'deepening'] as const) {
    const end = addMonths(start, PHASE_MONTHS[phase]);
    out.push({ phase, startOn: start, endOn: end });
    start = end;
  }
  return out;
}

/** The phase a day falls in, or null before the start and after the 36-month cycle. */
export function currentPhase(cycleStartOn: string, today: string): Phase | null {
  return alliancePhases(cycleStartOn).find((p) => today >= p.startOn && today < p.endOn)?.phase ?? null;
}

/** Re-assessment every 2 years ([000] 5.1 动态调整). Never assessed: due 2 years after founding. */
export function reassessment(foundedOn: string, lastAssessedOn: string | null, lastResult: string | null, today: string) {
  const dueOn = addMonths(lastAssessedOn ?? foundedOn, 24);
  return { lastAssessedOn, dueOn, overdue: today >= dueOn, weak: lastResult === 'weak' };
}

export interface IndicatorRaw {
  students: number;
  teachersAboveDegree: number;
  keyTeachers: number;
  peArtTeachers: number;
  teachingAreaM2: number;
  sportsAreaM2: number;
  equipmentValueYuan: number;
  multimediaRooms: number;
}

const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

/** The seven 优质均衡 resource indicators of one school (per 100 students or per student). */
export function computeIndicators(r: IndicatorRaw): Record<string, number | null> {
  const n = r.students;
  if (!n) {
    return {
      teachers_above_degree_per100: null,
      key_teachers_per100: null,
      pe_art_teachers_per100: null,
      teaching_area_per_student: null,
      sports_area_per_student: null,
      equipment_value_per_student: null,
      multimedia_rooms_per100: null,
    };
  }
  return {
    teachers_above_degree_per100: round((r.teachersAboveDegree / n) * 100),
    key_teachers_per100: round((r.keyTeachers / n) * 100),
    pe_art_teachers_per100: round((r.peArtTeachers / n) * 100),
    teaching_area_per_student: round(r.teachingAreaM2 / n),
    sports_area_per_student: round(r.sportsAreaM2 / n),
    equipment_value_per_student: round(r.equipmentValueYuan / n, 0),
    multimedia_rooms_per100: round((r.multimediaRooms / n) * 100),
  };
}

/** The school types that count as a 学段 for the 差异系数 thresholds (primary ≤ 0.50, junior ≤ 0.45). */
export const CV_LIMITS = { primary: 0.5, junior: 0.45 } as const;
