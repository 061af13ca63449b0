import type { ApplicationStatus } from '../../common/vocab.js';
/**
 * Table types for Kysely. Conventions (see db/index.ts): ids are text, instants ISO-8601 UTC text,
 * dates YYYY-MM-DD text, booleans integer 0/1, JSON as text.
 * Each feature module owns its tables; the comment before each group names the owner.
 */
import type { Generated } from 'kysely';
import type { FacilityTables } from './tables/facilities.js';
import type { CreditTables } from './tables/credits.js';
import type { ResourceTables } from './tables/resources.js';
import type { SearchTables } from './tables/search.js';

// platform/auth ---------------------------------------------------------------------------------
export interface UsersTable {
  id: string;
  username: string;
  display_name: string;
  email: string | null;
  phone: string | null;
  password_hash: string | null;
  must_change_password: number;
  password_changed_at: string | null;
  school_id: string | null;
  /** region the account was created in (for bureau-level user administration) */
  region_id: string | null;
  /** partner accounts: the partner organisation the account acts for (migration 006) */
  partner_id?: string | null;
  locale: string;
  status: 'active' | 'disabled';
  failed_logins: number;
  locked_until: string | null;
  oidc_subject: string | null;
  last_login_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface RoleGrantsTable {
  id: string;
  user_id: string;
  role: string;
  scope_type: string; // installation | region | alliance | school
  scope_id: string | null;
  /** reviewer's subject, where the role is subject-bound */
  subject: string | null;
  granted_by: string | null;
  granted_at: string;
}

export interface SessionsTable {
  /** sha-256 of the session token: a leaked table does not leak sessions */
  id: string;
  user_id: string;
  csrf_token: string;
  created_at: string;
  last_seen_at: string;
  idle_expires_at: string;
  expires_at: string;
  ip: string | null;
  user_agent: string | null;
  via: string; // password | oidc
}

export interface AuthFlowsTable {
  /** OIDC state */
  id: string;
  code_verifier: string;
  nonce: string;
  return_to: string | null;
  created_at: string;
  expires_at: string;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: string;
  actor_id: string | null;
  actor_name: string | null;
  ip: string | null;
  request_id: string | null;
  action: string;
  entity_type: string;
  entity_id: string | null;
  /** region the change belongs to (scopes who may read the entry) */
  region_id: string | null;
  alliance_id: string | null;
  school_id: string | null;
  detail: string; // JSON
}

// modules/org -----------------------------------------------------------------------------------
export interface RegionsTable {
  id: string;
  parent_id: string | null;
  level: string; // province | city | district
  code: string;
  name: string;
  created_at: string;
}

export interface SchoolsTable {
  id: string;
  region_id: string;
  code: string;
  credit_code: string | null;
  name: string;
  short_name: string | null;
  type: string;
  ownership: string; // public | private
  location: string; // urban | county_town | township | village
  tags: string; // JSON string[]
  address: string | null;
  lat: number | null;
  lng: number | null;
  principal: string | null;
  phone: string | null;
  founded_year: number | null;
  students: number;
  teachers: number;
  classes: number;
  created_at: string;
  updated_at: string;
}

export interface SchoolIndicatorsTable {
  school_id: string;
  year: number;
  students: number;
  teachers: number;
  /** 高于规定学历的教师数 */
  teachers_above_degree: number;
  /** 县级及以上骨干教师数 */
  key_teachers: number;
  /** 体育、艺术（音乐、美术）专任教师数 */
  pe_art_teachers: number;
  /** 教学及辅助用房面积 m² */
  teaching_area_m2: number;
  /** 体育运动场馆面积 m² */
  sports_area_m2: number;
  /** 教学仪器设备值 元 */
  equipment_value_yuan: number;
  /** 网络多媒体教室数 */
  multimedia_rooms: number;
  /** 图书册数 */
  books: number;
  updated_by: string | null;
  updated_at: string;
}

export interface PartnersTable {
  id: string;
  region_id: string;
  name: string;
  kind: string; // enterprise | university | museum | community | foundation | other
  contact: string | null;
  phone: string | null;
  description: string | null;
  created_at: string;
}

export interface AlliancesTable {
  id: string;
  region_id: string;
  name: string;
  kind: string; // fusion | aggregation | union
  pattern: string; // mother_child | mentor | partner | urban_rural
  core_school_id: string;
  description: string | null;
  status: 'active' | 'dissolved';
  founded_on: string;
  cycle_start_on: string;
  last_assessed_on: string | null;
  created_at: string;
  updated_at: string;
}

export interface AllianceMembersTable {
  id: string;
  alliance_id: string;
  school_id: string;
  /** copied from the alliance so the database can forbid two active 融合型 groups per school */
  alliance_kind: string;
  role: 'core' | 'member';
  status: 'active' | 'exited';
  joined_on: string;
  exited_on: string | null;
  exit_reason: string | null;
  exit_by: string | null;
  created_at: string;
}

export interface AlliancePartnersTable {
  alliance_id: string;
  partner_id: string;
  offers: string | null;
  joined_on: string;
}

export interface GovernanceBodiesTable {
  id: string;
  alliance_id: string;
  kind: string; // council | supervisory | foundation | secretariat | experts | subject_group
  name: string;
  subject: string | null;
  host_school_id: string | null;
  created_at: string;
}

export interface BodyMembersTable {
  id: string;
  body_id: string;
  person_name: string;
  user_id: string | null;
  school_id: string | null;
  position: string;
  term_start: string;
  term_end: string | null;
  created_at: string;
}

export interface DocumentsTable {
  id: string;
  alliance_id: string;
  kind: string; // charter | agreement | development | other
  title: string;
  current_version: number;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface DocumentVersionsTable {
  id: string;
  document_id: string;
  version: number;
  file_key: string | null;
  file_name: string | null;
  file_size: number | null;
  mime: string | null;
  sha256: string | null;
  terms: string; // JSON AgreementTerm[]
  effective_from: string | null;
  effective_to: string | null;
  note: string | null;
  created_by: string | null;
  created_at: string;
}

export interface MilestonesTable {
  id: string;
  alliance_id: string;
  phase: string; // preparation | implementation | deepening
  title: string;
  due_on: string;
  done_on: string | null;
  created_at: string;
}

export interface AssessmentsTable {
  id: string;
  alliance_id: string;
  assessed_on: string;
  score: number;
  result: string; // excellent | good | pass | weak
  comment: string | null;
  assessed_by: string | null;
  created_at: string;
}

export interface MembershipApplicationsTable {
  id: string;
  alliance_id: string;
  school_id: string;
  status: ApplicationStatus;
  reason: string;
  applied_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface ApplicationDecisionsTable {
  id: string;
  application_id: string;
  step: string; // evaluate | recommend | approve | reject | withdraw
  decision: string; // pass | fail
  comment: string | null;
  actor_id: string | null;
  actor_name: string | null;
  ip: string | null;
  at: string;
}

// modules/imports -------------------------------------------------------------------------------
export interface ImportsTable {
  id: string;
  kind: string; // schools | users
  status: 'previewed' | 'committed' | 'discarded';
  file_name: string;
  region_id: string | null;
  school_id: string | null;
  rows: string; // JSON ImportRow[]
  valid_count: number;
  invalid_count: number;
  imported_count: number | null;
  created_by: string;
  created_at: string;
  committed_at: string | null;
}

/** Every table: the foundation's below, each later feature's in db/tables/<module>.ts (the module owns the rules, db/ the shapes). */
export interface DB extends FacilityTables, CreditTables, ResourceTables, SearchTables {
  users: UsersTable;
  role_grants: RoleGrantsTable;
  sessions: SessionsTable;
  auth_flows: AuthFlowsTable;
  audit_log: AuditLogTable;
  regions: RegionsTable;
  schools: SchoolsTable;
  school_indicators: SchoolIndicatorsTable;
  partners: PartnersTable;
  alliances: AlliancesTable;
  alliance_members: AllianceMembersTable;
  alliance_partners: AlliancePartnersTable;
  governance_bodies: GovernanceBodiesTable;
  body_members: BodyMembersTable;
  documents: DocumentsTable;
  document_versions: DocumentVersionsTable;
  milestones: MilestonesTable;
  assessments: AssessmentsTable;
  membership_applications: MembershipApplicationsTable;
  application_decisions: ApplicationDecisionsTable;
  imports: ImportsTable;
  cache_versions: CacheVersionsTable;
}

/** Version counters bumped by triggers (migration 010): the directory and actor caches watch them. */
export interface CacheVersionsTable {
  name: 'org' | 'access';
  version: number;
}
