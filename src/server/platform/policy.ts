/**
 * Who may do what (SPEC S0, S8; ARCHITECTURE rule 6).
 *
 * Two layers, both here:
 *  1. Route permissions: every route declares one `Permission`; `ROLE_PERMISSIONS` says which roles hold
 *     it. A request whose actor holds none of them is refused before the handler runs.
 *  2. Scope rules: the functions below decide, for one record, whether the actor's grants reach it, and
 *     give modules the filters that scope every list query.
 * Denial of something whose existence is private looks like "not found".
 */
import { sql } from 'kysely';
import type { Role } from '../../common/vocab.js';
import type { Db } from '../db/index.js';

// moved: the role table to src/common/permissions.ts, the actor to platform/actor.ts (re-exported during the move)
export { PERMISSIONS, ROLE_PERMISSIONS, type Permission } from '../../common/permissions.js';
export { holds, type Actor, type Grant } from './actor.js';
import { ROLE_PERMISSIONS } from '../../common/permissions.js';
import type { Actor } from './actor.js';

/** Everything about the actor's reach, computed once per request from the grants. */
export async function resolveScopes(
  db: Db,
  base: Omit<
    Actor,
    'isPlatformAdmin' | 'bureauRegions' | 'readRegions' | 'adminAlliances' | 'memberAlliances' | 'schools' | 'adminSchools' | 'homeRegionChain' | 'partners'
  >,
): Promise<Actor> {
  const g = base.grants;
  const bureauRoots = g.filter((x) => x.role === 'bureau_admin' && x.scopeId).map((x) => x.scopeId!);
  const readRoots = g.filter((x) => (x.role === 'bureau_admin' || x.role === 'evaluator') && x.scopeId).map((x) => x.scopeId!);
  const schools = new Set(g.filter((x) => x.scopeType === 'school' && x.scopeId).map((x) => x.scopeId!));
  const adminSchools = new Set(g.filter((x) => x.role === 'school_admin' && x.scopeId).map((x) => x.scopeId!));
  const allianceGrants = g.filter((x) => x.scopeType === 'alliance' && x.scopeId).map((x) => x.scopeId!);
  const adminAlliances = new Set(g.filter((x) => x.role === 'alliance_admin' && x.scopeId).map((x) => x.scopeId!));

  const readRegions = readRoots.length ? await regionDescendants(db, readRoots) : new Set<string>();
  const bureauRegions = bureauRoots.length
    ? bureauRoots.length === readRoots.length
      ? readRegions
      : await regionDescendants(db, bureauRoots)
    : new Set<string>();

  const memberAlliances = new Set(allianceGrants);
  let homeRegionChain = new Set<string>();
  if (schools.size > 0) {
    const ids = [...schools];
    const rows = await db.selectFrom('alliance_members').select('alliance_id').where('school_id', 'in', ids).where('status', '=', 'active').execute();
    for (const r of rows) memberAlliances.add(r.alliance_id);
    const regionRows = await db.selectFrom('schools').select('region_id').where('id', 'in', ids).execute();
    homeRegionChain = await regionAncestors(db, [...new Set(regionRows.map((r) => r.region_id))]);
  }
  const partners = new Set<string>();
  if (g.some((x) => x.role === 'partner' && x.scopeId)) {
    const u = await db.selectFrom('users').select('partner_id').where('id', '=', base.userId).executeTakeFirst();
    if (u?.partner_id) partners.add(u.partner_id);
  }
  return {
    ...base,
    isPlatformAdmin: g.some((x) => x.role === 'platform_admin'),
    bureauRegions,
    readRegions,
    adminAlliances,
    memberAlliances,
    schools,
    adminSchools,
    homeRegionChain,
    partners,
  };
}

export async function regionDescendants(db: Db, roots: string[]): Promise<Set<string>> {
  const res = await sql<{ id: string }>`
    with recursive sub(id) as (
      select id from regions where id in (${sql.join(roots)})
      union
      select r.id from regions r join sub on r.parent_id = sub.id
    ) select id from sub`.execute(db);
  return new Set(res.rows.map((r) => r.id));
}

export async function regionAncestors(db: Db, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const res = await sql<{ id: string }>`
    with recursive up(id, parent_id) as (
      select id, parent_id from regions where id in (${sql.join(ids)})
      union
      select r.id, r.parent_id from regions r join up on r.id = up.parent_id
    ) select id from up`.execute(db);
  return new Set(res.rows.map((r) => r.id));
}

// ---- record-level rules ---------------------------------------------------------------------

export interface SchoolRef {
  id: string;
  region_id: string;
}
export interface AllianceRef {
  id: string;
  region_id: string;
}

export const policy = {
  readRegion: (a: Actor, regionId: string) => a.isPlatformAdmin || a.readRegions.has(regionId),

  /**
   * alliances the school belongs to are needed for the member rule; `appliedTo`: alliances the school has
   * an open application to (their secretariat must see the applicant to evaluate it)
   */
  readSchool: (a: Actor, s: SchoolRef, schoolAlliances: string[], appliedTo: string[] = []) =>
    a.isPlatformAdmin ||
    a.readRegions.has(s.region_id) ||
    a.schools.has(s.id) ||
    schoolAlliances.some((id) => a.memberAlliances.has(id)) ||
    appliedTo.some((id) => a.adminAlliances.has(id)),
  createSchool: (a: Actor, regionId: string) => a.isPlatformAdmin || a.bureauRegions.has(regionId),
  updateSchool: (a: Actor, s: SchoolRef) => a.isPlatformAdmin || a.bureauRegions.has(s.region_id) || a.adminSchools.has(s.id),

  readAlliance: (a: Actor, al: AllianceRef) =>
    a.isPlatformAdmin || a.readRegions.has(al.region_id) || a.memberAlliances.has(al.id) || a.homeRegionChain.has(al.region_id),
  /** members, partners, governance, documents, milestones */
  manageAlliance: (a: Actor, al: AllianceRef) => a.isPlatformAdmin || a.bureauRegions.has(al.region_id) || a.adminAlliances.has(al.id),
  /** the alliance's internal documents and timeline: members and overseers, not the whole region */
  readAllianceInternals: (a: Actor, al: AllianceRef) => a.isPlatformAdmin || a.readRegions.has(al.region_id) || a.memberAlliances.has(al.id),
  createAlliance: (a: Actor, regionId: string) => a.isPlatformAdmin || a.bureauRegions.has(regionId),
  /** exit a member / change the alliance itself (kind, core school): the alliance or the bureau */
  exitMember: (a: Actor, al: AllianceRef) => a.isPlatformAdmin || a.bureauRegions.has(al.region_id) || a.adminAlliances.has(al.id),

  applyForSchool: (a: Actor, schoolId: string) => a.isPlatformAdmin || a.adminSchools.has(schoolId),
  /** 联盟评估 and 理事会推荐 */
  allianceStep: (a: Actor, al: AllianceRef) => a.isPlatformAdmin || a.adminAlliances.has(al.id),
  /** 教育局审批 */
  bureauStep: (a: Actor, al: AllianceRef) => a.isPlatformAdmin || a.bureauRegions.has(al.region_id),
  readApplication: (a: Actor, al: AllianceRef, schoolId: string) =>
    a.isPlatformAdmin || a.readRegions.has(al.region_id) || a.adminAlliances.has(al.id) || a.schools.has(schoolId),

  /**
   * User administration (rename, disable, reset the password, grant, revoke): the account's home lies in
   * the actor's reach (bureau: its regions; school admin: its school) AND every grant the account holds
   * does. A school admin manages only accounts whose every grant is a school role of its own school (not
   * the secretariat's or reviewers' accounts that carry the school's id); a bureau never takes over the
   * platform's, the evaluators' or the partners' accounts, nor a bureau admin of its own level.
   */
  manageUser: (a: Actor, u: { region_id: string | null; school_id: string | null; school_region_id: string | null }, grants: readonly UserGrantRef[] = []) =>
    a.isPlatformAdmin ||
    (((u.region_id != null && a.bureauRegions.has(u.region_id)) ||
      (u.school_region_id != null && a.bureauRegions.has(u.school_region_id)) ||
      (u.school_id != null && a.adminSchools.has(u.school_id))) &&
      grants.every((g) => grantWithinReach(a, g))),
};

/** One grant of a managed account, with the region its scope lies in (alliance's / school's region). */
export interface UserGrantRef {
  role: string;
  scope_type: string;
  scope_id: string | null;
  region_id: string | null;
}

/** Roles a bureau hands out but never manages the holders of (their accounts belong to third parties). */
export const BUREAU_UNMANAGED: readonly Role[] = ['platform_admin', 'evaluator', 'partner'];

/** The regions where the actor itself is bureau admin (a bureau manages only bureau admins below them). */
export const bureauRoots = (a: Actor) => new Set(a.grants.filter((g) => g.role === 'bureau_admin' && g.scopeId).map((g) => g.scopeId!));

export function grantWithinReach(a: Actor, g: UserGrantRef): boolean {
  if (a.isPlatformAdmin) return true;
  if (g.scope_type === 'school' && g.scope_id != null && a.adminSchools.has(g.scope_id) && SCHOOL_GRANTABLE.includes(g.role as Role)) return true;
  if (BUREAU_UNMANAGED.includes(g.role as Role) || g.region_id == null || !a.bureauRegions.has(g.region_id)) return false;
  return g.role !== 'bureau_admin' || !bureauRoots(a).has(g.scope_id ?? '');
}

/**
 * Students and guardians book only what SPEC S3.2 opens to the community ("school facilities open to the
 * community at weekends"): community-open venues at weekends, under no alliance, never charged to a
 * school. True when the actor's only booking rights come from student / guardian grants.
 */
export function communityBookerOnly(a: Actor): boolean {
  return !a.isPlatformAdmin && !a.grants.some((g) => g.role !== 'student' && g.role !== 'guardian' && ROLE_PERMISSIONS[g.role]?.includes('booking.create'));
}

/** Roles a school admin may hand out inside the own school. */
export const SCHOOL_GRANTABLE: readonly Role[] = ['teacher', 'student', 'guardian', 'school_admin'];
