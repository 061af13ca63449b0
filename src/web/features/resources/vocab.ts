/** Resource vocabularies for the web pages (from src/common/resources.ts) and small helpers. */
import { GRADES, RUBRICS, stageOfGrade, type ResourceKind, type RubricItem } from '../../../common/resources';

export {
  RESOURCE_KINDS,
  LICENCES,
  VISIBILITY,
  RESOURCE_STATUS as RESOURCE_STATUSES,
  STAGES,
  GRADES,
  TEXTBOOK_EDITIONS,
  DIFFICULTY,
  RESOURCE_LANGUAGES,
  FILE_ROLES,
  WORKFLOW_STEPS,
  KIND_RULES,
  FAMILY_LABELS,
  MIME_FAMILY,
  formatBytes,
  stageOfGrade,
} from '../../../common/resources';
export type { RubricItem, ResourceKind } from '../../../common/resources';

/** Grades of a stage (for the cascading select); all grades without a stage. */
export function gradesOf(stage: string | null | undefined): string[] {
  const all = GRADES.codes as readonly string[];
  return stage ? all.filter((g) => stageOfGrade(g) === stage) : [...all];
}

/** The quality checklist of a kind (质量标准). */
export function rubricOf(kind: string): RubricItem[] {
  return RUBRICS[kind as ResourceKind] ?? [];
}
