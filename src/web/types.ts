/** Shapes of the REST API (camelCase JSON), as the server returns them. */
import type { Role } from '../common/vocab';

export interface Paged<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export type ScopeType = 'installation' | 'region' | 'alliance' | 'school';

export interface Grant {
  id: string;
  role: Role;
  scopeType: ScopeType;
  scopeId: string | null;
  scopeName: string | null;
  subject: string | null;
}

export interface MeUser {
  id: string;
  username: string;
  displayName: string;
  email: string | null;
  phone: string | null;
  schoolId: string | null;
  schoolName: string | null;
  regionId: string | null;
  locale: string;
  mustChangePassword: boolean;
}

export interface Me {
  user: MeUser;
  grants: Grant[];
  csrfToken: string;
}

export interface Region {
  id: string;
  parentId: string | null;
  level: string;
  code: string;
  name: string;
  schoolCount: number;
  allianceCount: number;
}

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

export interface SchoolSummary {
  id: string;
  code: string;
  name: string;
  type: string;
  ownership: string;
  location: string;
  tags: string[];
  regionId: string;
  regionName: string;
  students: number | null;
  teachers: number | null;
}

export interface IndicatorInput {
  students: number;
  teachers: number;
  teachersAboveDegree: number;
  keyTeachers: number;
  peArtTeachers: number;
  teachingAreaM2: number;
  sportsAreaM2: number;
  equipmentValueYuan: number;
  multimediaRooms: number;
  books: number;
}

export interface IndicatorYear extends IndicatorInput {
  year: number;
  computed: Record<string, number | null>;
}

export interface SchoolDetail extends SchoolSummary {
  creditCode: string | null;
  shortName: string | null;
  address: string | null;
  lat: number | null;
  lng: number | null;
  principal: string | null;
  phone: string | null;
  foundedYear: number | null;
  classes: number | null;
  alliances: { id: string; name: string; kind: string; role: string }[];
  indicators: IndicatorYear[];
}

export interface Ref {
  id: string;
  name: string;
}

export interface AllianceSummary {
  id: string;
  name: string;
  kind: string;
  pattern: string;
  status: string;
  regionId: string;
  regionName: string;
  coreSchool: Ref | null;
  memberCount: number;
  partnerCount: number;
  phase: string | null;
  reassessmentDue: boolean | string | null;
}

export interface AllianceMember {
  id: string;
  schoolId: string;
  schoolName: string;
  location: string;
  tags: string[];
  role: string;
  status: string;
  joinedOn: string | null;
  exitedOn: string | null;
  exitReason: string | null;
}

export interface AlliancePartner {
  partnerId: string;
  name: string;
  kind: string;
  offers: string | null;
  joinedOn: string | null;
}

export interface BodyMember {
  id: string;
  personName: string;
  position: string;
  schoolName: string | null;
  termStart: string | null;
  termEnd: string | null;
}

export interface GovernanceBody {
  id: string;
  kind: string;
  name: string;
  subject: string | null;
  hostSchool: Ref | null;
  members: BodyMember[];
}

export interface DocumentSummary {
  id: string;
  kind: string;
  title: string;
  currentVersion: number;
  updatedAt: string;
}

export interface Milestone {
  id: string;
  phase: string;
  title: string;
  dueOn: string;
  doneOn: string | null;
}

export interface Assessment {
  id: string;
  assessedOn: string;
  score: number | null;
  result: string;
  comment: string | null;
}

export interface AllianceDetail {
  id: string;
  name: string;
  kind: string;
  pattern: string;
  status: string;
  description: string | null;
  regionId: string;
  regionName: string;
  foundedOn: string | null;
  cycleStartOn: string | null;
  coreSchool: Ref | null;
  members: AllianceMember[];
  partners: AlliancePartner[];
  bodies: GovernanceBody[];
  documents: DocumentSummary[];
  milestones: Milestone[];
  assessments: Assessment[];
  cycle: { phases: { phase: string; startOn: string; endOn: string }[]; current: string | null };
  reassessment: { lastAssessedOn: string | null; dueOn: string | null; overdue: boolean; weak: boolean };
}

export interface TimelineItem {
  at: string;
  action: string;
  text: string;
  actorName: string | null;
}

export interface Partner {
  id: string;
  name: string;
  kind: string;
  contact: string | null;
  phone: string | null;
  description: string | null;
}

export type TermOp = '>=' | '<=' | '=' | 'between';
export interface Term {
  kind: string;
  op: TermOp;
  value: number;
  value2?: number | null;
  unit?: string | null;
  note?: string | null;
}

export interface DocumentVersion {
  version: number;
  fileName: string;
  fileSize: number;
  mime: string;
  terms: Term[];
  effectiveFrom: string | null;
  effectiveTo: string | null;
  note: string | null;
  createdAt: string;
  createdByName: string | null;
}

export interface DocumentDetail {
  id: string;
  allianceId: string;
  kind: string;
  title: string;
  currentVersion: number;
  versions: DocumentVersion[];
}

export interface Decision {
  step: string;
  decision: string;
  comment: string | null;
  actorName: string | null;
  at: string;
}

export interface Application {
  id: string;
  allianceId: string;
  allianceName: string;
  schoolId: string;
  schoolName: string;
  status: string;
  reason: string | null;
  createdAt: string;
  updatedAt: string;
  decisions: Decision[];
}

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

export interface ImportPreview {
  id: string;
  kind: 'schools' | 'users';
  fileName: string;
  columns: { key: string; label: string }[];
  rows: { row: number; values: Record<string, unknown>; errors: { field: string; message: string }[] }[];
  validCount: number;
  invalidCount: number;
}

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
