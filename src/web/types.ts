/**
 * Shapes of the REST API (camelCase JSON), as the server returns them.
 *
 * Derived from the server's zod schemas (`z.output`) through `import type` only, so no server code reaches
 * the bundle. The hand-written ones below have no exported server schema yet (see each comment).
 */
import type { z } from 'zod';
import type { GrantOut, MeOut } from '../server/modules/auth/routes';
import type * as A from '../server/modules/org/alliances/schema';
import type * as M from '../server/modules/org/memberships/schema';
import type { RegionOut } from '../server/modules/org/regions/schema';
import type * as S from '../server/modules/org/schools/schema';

type Out<T extends z.ZodType> = z.output<T>;
type Item<T> = T extends readonly (infer I)[] ? I : never;

export type Grant = Out<typeof GrantOut>;
export type Me = Out<typeof MeOut>;
export type MeUser = Me['user'];
export type Region = Out<typeof RegionOut>;

export type SchoolSummary = Out<typeof S.SchoolSummary>;
export type SchoolDetail = Out<typeof S.SchoolDetail>;
/** The indicators a form sends (`books` may be left out: the server defaults it). */
export type IndicatorInput = z.input<typeof S.IndicatorInput>;
export type IndicatorYear = Out<typeof S.IndicatorOut>;

export type AllianceSummary = Out<typeof A.AllianceSummary>;
export type AllianceDetail = Out<typeof A.AllianceDetail>;
export type AllianceMember = Item<AllianceDetail['members']>;
export type AlliancePartner = Item<AllianceDetail['partners']>;
export type GovernanceBody = Item<AllianceDetail['bodies']>;
export type BodyMember = Item<GovernanceBody['members']>;
export type DocumentSummary = Item<AllianceDetail['documents']>;
export type Milestone = Item<AllianceDetail['milestones']>;
export type Assessment = Item<AllianceDetail['assessments']>;
export type TimelineItem = Item<Out<typeof A.TimelineOut>['items']>;
export type Partner = Out<typeof A.PartnerOut>;
/** A term of an agreement, as sent and as read back. */
export type Term = z.input<typeof A.Term>;
export type TermOp = Term['op'];
/** The server schema types `terms` loosely (`any[]`): the versions hold `Term`s. */
export type DocumentVersion = Omit<Out<typeof A.DocVersionOut>, 'terms'> & { terms: Term[] };
export type DocumentDetail = Omit<Out<typeof A.DocumentOut>, 'versions'> & { versions: DocumentVersion[] };

export type Application = Out<typeof M.ApplicationOut>;
export type Decision = Item<Application['decisions']>;

/** A page of a list (the server's `paginated(item)`, generic here). */
export interface Paged<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export type ScopeType = Grant['scopeType'];

/** Hand-written: the server's `Overview` schema (org/regions/routes.ts) is not exported. */
export interface EquityRow {
  indicator: string;
  year: number;
  count: number;
  mean: number | null;
  sd: number | null;
  cv: number | null;
  min: number | null;
  max: number | null;
}

export interface RegionOverview {
  region: Region;
  totals: { schools: number; students: number; teachers: number; alliances: number; pendingApplications: number };
  byType: { type: string; count: number }[];
  byLocation: { location: string; count: number }[];
  alliancesByKind: { kind: string; count: number }[];
  equity: EquityRow[];
  reassessmentDue: { allianceId: string; name: string; lastAssessedOn: string | null; dueOn: string }[];
}

/** Hand-written: the server's `UserOut` (users/routes.ts) is not exported. */
export interface UserRow {
  id: string;
  username: string;
  displayName: string;
  schoolId: string | null;
  schoolName: string | null;
  status: string;
  grants: Grant[];
  lastLoginAt: string | null;
}

/** Hand-written: the server's `AuditOut` (audit/routes.ts) is not exported. */
export interface AuditEntry {
  id: number;
  at: string;
  actorName: string | null;
  ip: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  detail: Record<string, unknown>;
}
