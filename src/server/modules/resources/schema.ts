/** Request and response shapes of the course resource library API (SPEC S2); the web app imports these. */
import { z } from 'zod';
import { SUBJECTS } from '../../../common/vocab.js';
import {
  DIFFICULTY,
  GRADES,
  LICENCES,
  RESOURCE_KINDS,
  RESOURCE_LANGUAGES,
  RESOURCE_STATUS,
  STAGES,
  TEXTBOOK_EDITIONS,
  VISIBILITY,
} from '../../../common/resources.js';
import { DateStr, Id, Line, MonthStr, Para } from '../org/schools/schema.js';

export const Tag = Line(20).min(1);
export const AuthorIn = z.strictObject({
  userId: Id.optional(),
  name: Line(40).min(1).optional(),
});

const MetaFields = {
  kind: z.enum(RESOURCE_KINDS.codes),
  title: Line(120).min(2),
  description: Para(5000).default(''),
  subject: z.enum(SUBJECTS.codes),
  stage: z.enum(STAGES.codes),
  grade: z.enum(GRADES.codes).nullable().optional(),
  textbookEdition: z.enum(TEXTBOOK_EDITIONS.codes).nullable().optional(),
  chapter: Line(100).nullable().optional(),
  difficulty: z.enum(DIFFICULTY.codes).nullable().optional(),
  tags: z.array(Tag).max(12).default([]),
  language: z.enum(RESOURCE_LANGUAGES.codes).default('zh'),
  licence: z.enum(LICENCES.codes),
  visibility: z.enum(VISIBILITY.codes),
  /** 联盟 of the resource; default: the owning school's alliance */
  allianceId: Id.nullable().optional(),
  authors: z.array(AuthorIn).min(1).max(10).optional(),
};

export const ResourceCreate = z.strictObject({
  ...MetaFields,
  /** owning school; default: the author's school */
  schoolId: Id.optional(),
});
export type ResourceCreate = z.infer<typeof ResourceCreate>;

export const ResourceUpdate = z.strictObject({
  title: MetaFields.title.optional(),
  description: Para(5000).optional(),
  subject: MetaFields.subject.optional(),
  stage: MetaFields.stage.optional(),
  grade: MetaFields.grade,
  textbookEdition: MetaFields.textbookEdition,
  chapter: MetaFields.chapter,
  difficulty: MetaFields.difficulty,
  tags: z.array(Tag).max(12).optional(),
  language: z.enum(RESOURCE_LANGUAGES.codes).optional(),
  licence: MetaFields.licence.optional(),
  visibility: MetaFields.visibility.optional(),
  allianceId: MetaFields.allianceId,
  authors: MetaFields.authors,
});
export type ResourceUpdate = z.infer<typeof ResourceUpdate>;

export const SORTS = ['relevance', 'newest', 'rating', 'use'] as const;
export const ResourceQuery = z.strictObject({
  q: Line(100).optional(),
  kind: z.enum(RESOURCE_KINDS.codes).optional(),
  subject: z.enum(SUBJECTS.codes).optional(),
  stage: z.enum(STAGES.codes).optional(),
  grade: z.enum(GRADES.codes).optional(),
  schoolId: Id.optional(),
  licence: z.enum(LICENCES.codes).optional(),
  allianceId: Id.optional(),
  sort: z.enum(SORTS).optional(),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});
export type ResourceQuery = z.infer<typeof ResourceQuery>;

export const SchoolRefOut = z.object({ id: z.string(), name: z.string() });

export const ResourceSummary = z.object({
  id: z.string(),
  kind: z.string(),
  title: z.string(),
  /** title with <mark> around matched words (HTML-escaped otherwise); only with q */
  titleHighlight: z.string().nullable(),
  /** a snippet of description/extracted text with <mark>…</mark>; only with q */
  snippet: z.string().nullable(),
  description: z.string(),
  subject: z.string(),
  stage: z.string(),
  grade: z.string().nullable(),
  textbookEdition: z.string().nullable(),
  chapter: z.string().nullable(),
  difficulty: z.string().nullable(),
  tags: z.array(z.string()),
  licence: z.string(),
  visibility: z.string(),
  status: z.string(),
  school: SchoolRefOut,
  allianceId: z.string().nullable(),
  authors: z.array(z.string()),
  views: z.number(),
  downloads: z.number(),
  uses: z.number(),
  rating: z.number().nullable(),
  ratingCount: z.number(),
  publishedAt: z.string().nullable(),
  updatedAt: z.string(),
  /** mime of the first file of the version shown (icon, video badge) */
  mainMime: z.string().nullable(),
});
export type ResourceSummary = z.infer<typeof ResourceSummary>;

export const FacetValue = z.object({ value: z.string(), label: z.string(), count: z.number() });
export const Facets = z.object({
  subject: z.array(FacetValue),
  stage: z.array(FacetValue),
  grade: z.array(FacetValue),
  kind: z.array(FacetValue),
  school: z.array(FacetValue),
  licence: z.array(FacetValue),
});
export const ResourceList = z.object({
  items: z.array(ResourceSummary),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
  facets: Facets,
  /** the words the query was cut into (what is highlighted) */
  terms: z.array(z.string()),
});

export const FileOut = z.object({
  id: z.string(),
  role: z.string(),
  name: z.string(),
  mime: z.string(),
  size: z.number(),
  sha256: z.string(),
  /** inline preview possible (PDF, image, video, audio, text, or an office file converted to PDF) */
  previewable: z.boolean(),
  textExtracted: z.boolean(),
  previewUrl: z.string(),
  downloadUrl: z.string(),
});
export const VersionOut = z.object({
  id: z.string(),
  number: z.number(),
  note: z.string().nullable(),
  createdAt: z.string(),
  createdBy: z.string().nullable(),
  publishedAt: z.string().nullable(),
  current: z.boolean(),
  draft: z.boolean(),
  files: z.array(FileOut),
});
export const ReviewOut = z.object({
  id: z.string(),
  reviewer: z.string(),
  decision: z.string(),
  scores: z.record(z.string(), z.number()),
  average: z.number(),
  comment: z.string().nullable(),
  versionNumber: z.number().nullable(),
  createdAt: z.string(),
});
export const HistoryOut = z.object({
  fromStatus: z.string().nullable(),
  toStatus: z.string(),
  step: z.string(),
  actor: z.string().nullable(),
  comment: z.string().nullable(),
  at: z.string(),
});
export const CommentOut = z.object({
  id: z.string(),
  userId: z.string(),
  userName: z.string(),
  schoolName: z.string().nullable(),
  body: z.string(),
  createdAt: z.string(),
  canDelete: z.boolean(),
});
export const UseOut = z.object({ id: z.string(), versionNumber: z.number(), usedOn: z.string(), classNote: z.string().nullable(), createdAt: z.string() });

export const ResourceDetail = ResourceSummary.extend({
  language: z.string(),
  authorsDetail: z.array(z.object({ userId: z.string().nullable(), name: z.string() })),
  createdBy: z.object({ id: z.string(), name: z.string() }),
  reviewer: z.object({ id: z.string(), name: z.string() }).nullable(),
  submittedAt: z.string().nullable(),
  createdAt: z.string(),
  currentVersionId: z.string().nullable(),
  draftVersionId: z.string().nullable(),
  /** files of the version the actor sees first: the current one, or the draft for its author */
  files: z.array(FileOut),
  versions: z.array(VersionOut),
  reviews: z.array(ReviewOut),
  history: z.array(HistoryOut),
  rubric: z.array(z.object({ code: z.string(), zh: z.string(), en: z.string() })),
  myRating: z.number().nullable(),
  favourite: z.boolean(),
  myUses: z.array(UseOut),
  can: z.object({
    edit: z.boolean(),
    upload: z.boolean(),
    submit: z.boolean(),
    withdraw: z.boolean(),
    archive: z.boolean(),
    review: z.boolean(),
    download: z.boolean(),
    rate: z.boolean(),
    use: z.boolean(),
  }),
  /** why download is refused, when it is */
  downloadBlockedReason: z.string().nullable(),
});
export type ResourceDetail = z.infer<typeof ResourceDetail>;

export const ReviewIn = z.strictObject({
  decision: z.enum(['publish', 'return']),
  scores: z
    .record(Line(40), z.number().min(-100).max(100))
    .refine((r) => Object.keys(r).length <= 20, { message: 'at most 20', params: { fieldCode: 'too_many_items', max: 20 } }),
  comment: Para(2000).optional(),
});
export type ReviewIn = z.infer<typeof ReviewIn>;
export const StepIn = z.strictObject({ comment: Para(2000).optional() }).optional();
export const AssignIn = z.strictObject({ reviewerId: Id });
export const RatingIn = z.strictObject({ stars: z.number().int().min(1).max(5) });
export const CommentIn = z.strictObject({ body: Para(2000).min(1) });
export const UseIn = z.strictObject({ classNote: Para(200).optional(), usedOn: DateStr.optional() });
export type UseIn = z.infer<typeof UseIn>;

export const QueueItem = z.object({
  id: z.string(),
  kind: z.string(),
  title: z.string(),
  subject: z.string(),
  stage: z.string(),
  grade: z.string().nullable(),
  status: z.string(),
  school: SchoolRefOut,
  authorName: z.string(),
  submittedAt: z.string().nullable(),
  assignedToMe: z.boolean(),
  versionNumber: z.number().nullable(),
});
export const Queue = z.object({ items: z.array(QueueItem) });

export const MineQuery = z.strictObject({
  status: z.enum(RESOURCE_STATUS.codes).optional(),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});
export type MineQuery = z.infer<typeof MineQuery>;
export const MineList = z.object({ items: z.array(ResourceSummary), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() });

export const Recommended = z.object({
  basis: z.object({ subjects: z.array(z.string()), grades: z.array(z.string()) }),
  /** for the teacher's subjects and grades */
  forYou: z.array(ResourceSummary),
  /** what teachers of the same subjects used lately */
  likeYou: z.array(ResourceSummary),
});

export const CatalogueQuery = z.strictObject({
  month: MonthStr,
  subject: z.enum(SUBJECTS.codes).optional(),
});
export const Catalogue = z.object({
  month: z.string(),
  subjects: z.array(z.object({ subject: z.string(), label: z.string(), count: z.number() })),
  items: z.array(ResourceSummary),
});

export const ContributionOut = z.object({
  id: z.string(),
  resourceId: z.string(),
  resourceTitle: z.string(),
  usingSchool: z.string(),
  at: z.string(),
  amount: z.number(),
  transactionId: z.string().nullable(),
});
export const ContributionList = z.object({ items: z.array(ContributionOut), total: z.number().int() });

export const NotificationOut = z.object({
  id: z.number(),
  kind: z.string(),
  resourceId: z.string().nullable(),
  title: z.string(),
  body: z.string().nullable(),
  createdAt: z.string(),
  readAt: z.string().nullable(),
});
export const NotificationList = z.object({ items: z.array(NotificationOut), unread: z.number().int() });
