/** Table types owned by this module: course resources: resources, versions, files, reviews, ratings, comments, use (S2). See db/schema.ts for the conventions. */
import type { Generated } from 'kysely';
import type { FileRole, Licence, ResourceKind, ResourceStatus, Visibility, WorkflowStep } from '../../../common/resources.js';

/** A reviewer's decision on a version. */
export type ReviewDecision = 'publish' | 'return';
/** How a review assignment ended: a decision, a reassignment, or the resource leaving review. */
export type AssignmentEnd = ReviewDecision | 'reassigned' | 'withdraw' | 'archive';
/** A history step: the workflow steps, and the creation of the draft. */
export type HistoryStep = WorkflowStep | 'create';
export type CountKind = 'view' | 'download';
export type NotificationKind = 'published' | 'returned' | 'assigned' | 'unassigned' | 'used' | 'commented' | 'withdraw' | 'archive';

export interface ResourcesTable {
  id: string;
  kind: ResourceKind;
  title: string;
  description: string;
  subject: string;
  stage: string;
  grade: string | null;
  textbook_edition: string | null;
  chapter: string | null;
  difficulty: string | null;
  tags: string; // JSON string[]
  language: string;
  licence: Licence;
  visibility: Visibility;
  /** the alliance whose members see 联盟 resources and may download 联盟内使用 ones */
  alliance_id: string | null;
  school_id: string;
  /** the owning school's region (区域 visibility) */
  region_id: string;
  created_by: string;
  status: ResourceStatus;
  /** the version others see and use (the last published one) */
  current_version_id: string | null;
  /** the version being prepared or reviewed (null when none) */
  draft_version_id: string | null;
  reviewer_id: string | null;
  submitted_at: string | null;
  published_at: string | null;
  views: number;
  downloads: number;
  uses: number;
  rating_sum: number;
  rating_count: number;
  created_at: string;
  updated_at: string;
}

export interface ResourceAuthorsTable {
  id: string;
  resource_id: string;
  user_id: string | null;
  name: string;
  position: number;
}

export interface ResourceVersionsTable {
  id: string;
  resource_id: string;
  number: number;
  note: string | null;
  created_by: string;
  created_at: string;
  published_at: string | null;
}

export interface ResourceFilesTable {
  id: string;
  resource_id: string;
  version_id: string;
  role: FileRole;
  position: number;
  storage_key: string;
  name: string;
  mime: string;
  size: number;
  sha256: string;
  /** text extracted for search (PDF/Word/text); null when none */
  text: string | null;
  /** 1 when extraction ran (even if it found nothing) */
  text_extracted: number;
  /** converted PDF of an office document (LibreOffice), when available */
  pdf_key: string | null;
  created_at: string;
}

export interface ResourceReviewsTable {
  id: string;
  resource_id: string;
  version_id: string | null;
  reviewer_id: string;
  scores: string; // JSON Record<item, 1..5>
  average: number;
  decision: ReviewDecision;
  comment: string | null;
  created_at: string;
}

export interface ResourceReviewAssignmentsTable {
  id: string;
  resource_id: string;
  version_id: string | null;
  reviewer_id: string;
  assigned_at: string;
  done_at: string | null;
  decision: AssignmentEnd | null;
}

export interface ResourceStatusHistoryTable {
  /** insertion order (several steps of one request share a millisecond) */
  id: Generated<number>;
  resource_id: string;
  from_status: ResourceStatus | null;
  to_status: ResourceStatus;
  step: HistoryStep;
  actor_id: string | null;
  comment: string | null;
  at: string;
}

export interface ResourceRatingsTable {
  resource_id: string;
  user_id: string;
  stars: number;
  created_at: string;
  updated_at: string;
}

export interface ResourceCommentsTable {
  id: string;
  resource_id: string;
  user_id: string;
  body: string;
  created_at: string;
  deleted_at: string | null;
  deleted_by: string | null;
}

export interface ResourceFavouritesTable {
  resource_id: string;
  user_id: string;
  created_at: string;
}

export interface ResourceUsesTable {
  id: string;
  resource_id: string;
  /** the version the teacher used (a later version never silently replaces it) */
  version_id: string;
  user_id: string;
  school_id: string | null;
  class_note: string | null;
  used_on: string; // YYYY-MM-DD
  created_at: string;
}

export interface ResourceDailyCountsTable {
  resource_id: string;
  user_id: string;
  day: string; // YYYY-MM-DD
  kind: CountKind;
}

export interface ResourceContributionsTable {
  id: string;
  resource_id: string;
  use_id: string;
  owner_school_id: string;
  author_id: string | null;
  using_school_id: string;
  alliance_id: string | null;
  at: string;
  /** the credit ledger transaction, when the credit rules paid for it */
  transaction_id: string | null;
  amount: number;
}

export interface ResourceNotificationsTable {
  id: Generated<number>;
  user_id: string;
  kind: NotificationKind;
  resource_id: string | null;
  title: string;
  body: string | null;
  created_at: string;
  read_at: string | null;
}

export interface ResourceTables {
  resources: ResourcesTable;
  resource_authors: ResourceAuthorsTable;
  resource_versions: ResourceVersionsTable;
  resource_files: ResourceFilesTable;
  resource_reviews: ResourceReviewsTable;
  resource_review_assignments: ResourceReviewAssignmentsTable;
  resource_status_history: ResourceStatusHistoryTable;
  resource_ratings: ResourceRatingsTable;
  resource_comments: ResourceCommentsTable;
  resource_favourites: ResourceFavouritesTable;
  resource_uses: ResourceUsesTable;
  resource_daily_counts: ResourceDailyCountsTable;
  resource_contributions: ResourceContributionsTable;
  resource_notifications: ResourceNotificationsTable;
}
