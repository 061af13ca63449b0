import { z } from 'zod';
import {
  ALLIANCE_KINDS,
  ALLIANCE_PATTERNS,
  ASSESSMENT_RESULTS,
  BODY_KINDS,
  DOCUMENT_KINDS,
  PARTNER_KINDS,
  PHASES,
  SUBJECTS,
  TERM_KINDS,
} from '../../../../common/vocab.js';
import { rangeCheck } from '../../../platform/input.js';
import { DateStr, Id, Line, Page, Para } from '../schools/schema.js';

export const AllianceQuery = z.strictObject({
  regionId: Id.optional(),
  kind: z.enum(ALLIANCE_KINDS.codes).optional(),
  pattern: z.enum(ALLIANCE_PATTERNS.codes).optional(),
  q: Line(60).optional(),
  ...Page,
});

export const AllianceSummary = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(ALLIANCE_KINDS.codes),
  pattern: z.enum(ALLIANCE_PATTERNS.codes),
  status: z.string(),
  regionId: z.string(),
  regionName: z.string(),
  coreSchool: z.object({ id: z.string(), name: z.string() }),
  memberCount: z.number(),
  partnerCount: z.number(),
  phase: z.enum(PHASES.codes).nullable(),
  reassessmentDue: z.boolean(),
});

export const AllianceCreate = z.strictObject({
  regionId: Id,
  name: Line(60).min(2),
  kind: z.enum(ALLIANCE_KINDS.codes),
  pattern: z.enum(ALLIANCE_PATTERNS.codes),
  coreSchoolId: Id,
  foundedOn: DateStr,
  cycleStartOn: DateStr,
  description: Para(2000).nullable().optional(),
});

export const AllianceUpdate = z.strictObject({
  name: Line(60).min(2).optional(),
  kind: z.enum(ALLIANCE_KINDS.codes).optional(),
  pattern: z.enum(ALLIANCE_PATTERNS.codes).optional(),
  coreSchoolId: Id.optional(),
  foundedOn: DateStr.optional(),
  cycleStartOn: DateStr.optional(),
  description: Para(2000).nullable().optional(),
  status: z.enum(['active', 'dissolved']).optional(),
});

export const Term = z
  .strictObject({
    kind: z.enum(TERM_KINDS.codes),
    op: z.enum(['>=', '<=', '=', 'between']),
    value: z.number().min(0).max(1_000_000),
    value2: z.number().min(0).max(1_000_000).optional(),
    unit: Line(20).optional(),
    note: Line(200).optional(),
  })
  .refine((t) => t.op !== 'between' || (t.value2 !== undefined && t.value2 >= t.value), {
    message: 'between needs value2 ≥ value',
    path: ['value2'],
  });
export const Terms = z.array(Term).max(50);

export const DocVersionOut = z.object({
  version: z.number(),
  fileName: z.string().nullable(),
  fileSize: z.number().nullable(),
  mime: z.string().nullable(),
  sha256: z.string().nullable(),
  terms: z.array(z.any()),
  effectiveFrom: z.string().nullable(),
  effectiveTo: z.string().nullable(),
  note: z.string().nullable(),
  createdAt: z.string(),
  createdByName: z.string().nullable(),
});

export const DocumentOut = z.object({
  id: z.string(),
  allianceId: z.string(),
  kind: z.enum(DOCUMENT_KINDS.codes),
  title: z.string(),
  currentVersion: z.number(),
  updatedAt: z.string(),
  versions: z.array(DocVersionOut),
});

/** Multipart text fields of a document upload (validated after parsing). */
export const DocumentFields = z
  .strictObject({
    kind: z.enum(DOCUMENT_KINDS.codes),
    title: Line(100).min(2),
    terms: Para(20_000).default('[]'),
    effectiveFrom: DateStr.optional(),
    effectiveTo: DateStr.optional(),
    note: Para(500).optional(),
  })
  .superRefine(rangeCheck('effectiveFrom', 'effectiveTo', Infinity));
export const VersionFields = z
  .strictObject({
    terms: Para(20_000).default('[]'),
    effectiveFrom: DateStr.optional(),
    effectiveTo: DateStr.optional(),
    note: Para(500).optional(),
  })
  .superRefine(rangeCheck('effectiveFrom', 'effectiveTo', Infinity));

export const AllianceDetail = AllianceSummary.extend({
  description: z.string().nullable(),
  foundedOn: z.string(),
  cycleStartOn: z.string(),
  members: z.array(
    z.object({
      id: z.string(),
      schoolId: z.string(),
      schoolName: z.string(),
      location: z.string(),
      tags: z.array(z.string()),
      role: z.string(),
      status: z.string(),
      joinedOn: z.string(),
      exitedOn: z.string().nullable(),
      exitReason: z.string().nullable(),
    }),
  ),
  partners: z.array(z.object({ partnerId: z.string(), name: z.string(), kind: z.string(), offers: z.string().nullable(), joinedOn: z.string() })),
  bodies: z.array(
    z.object({
      id: z.string(),
      kind: z.enum(BODY_KINDS.codes),
      name: z.string(),
      subject: z.string().nullable(),
      hostSchool: z.object({ id: z.string(), name: z.string() }).nullable(),
      members: z.array(
        z.object({
          id: z.string(),
          personName: z.string(),
          position: z.string(),
          schoolName: z.string().nullable(),
          termStart: z.string(),
          termEnd: z.string().nullable(),
        }),
      ),
    }),
  ),
  documents: z.array(z.object({ id: z.string(), kind: z.string(), title: z.string(), currentVersion: z.number(), updatedAt: z.string() })),
  milestones: z.array(z.object({ id: z.string(), phase: z.string(), title: z.string(), dueOn: z.string(), doneOn: z.string().nullable() })),
  assessments: z.array(z.object({ id: z.string(), assessedOn: z.string(), score: z.number(), result: z.string(), comment: z.string().nullable() })),
  cycle: z.object({ phases: z.array(z.object({ phase: z.string(), startOn: z.string(), endOn: z.string() })), current: z.string().nullable() }),
  reassessment: z.object({ lastAssessedOn: z.string().nullable(), dueOn: z.string(), overdue: z.boolean(), weak: z.boolean() }),
});

export const PartnerCreate = z.strictObject({
  regionId: Id,
  name: Line(60).min(2),
  kind: z.enum(PARTNER_KINDS.codes),
  contact: Line(30).nullable().optional(),
  phone: z
    .string()
    .trim()
    .regex(/^[0-9+\- ]{5,20}$/)
    .nullable()
    .optional(),
  description: Para(500).nullable().optional(),
});
export const PartnerOut = z.object({
  id: z.string(),
  regionId: z.string(),
  name: z.string(),
  kind: z.string(),
  contact: z.string().nullable(),
  phone: z.string().nullable(),
  description: z.string().nullable(),
});

export const AlliancePartnerAdd = z.strictObject({ partnerId: Id, offers: Para(500).nullable().optional() });
export const BodyCreate = z.strictObject({
  kind: z.enum(BODY_KINDS.codes),
  name: Line(60).min(2),
  subject: z.enum(SUBJECTS.codes).nullable().optional(),
  hostSchoolId: Id.nullable().optional(),
});
export const BodyMemberCreate = z
  .strictObject({
    personName: Line(30).min(2),
    position: Line(30).min(1),
    termStart: DateStr,
    termEnd: DateStr.nullable().optional(),
    schoolId: Id.nullable().optional(),
    userId: Id.nullable().optional(),
  })
  .refine((b) => !b.termEnd || b.termEnd >= b.termStart, { message: 'term ends before it starts', path: ['termEnd'] });
export const MilestoneCreate = z.strictObject({ phase: z.enum(PHASES.codes), title: Line(100).min(2), dueOn: DateStr });
export const MilestoneUpdate = z.strictObject({ doneOn: DateStr.nullable() });
export const AssessmentCreate = z.strictObject({
  assessedOn: DateStr,
  score: z.number().min(0).max(100),
  result: z.enum(ASSESSMENT_RESULTS.codes),
  comment: Para(1000).nullable().optional(),
});
export const TimelineOut = z.object({ items: z.array(z.object({ at: z.string(), action: z.string(), text: z.string(), actorName: z.string().nullable() })) });
