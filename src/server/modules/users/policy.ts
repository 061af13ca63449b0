/**
 * Who administers which accounts (ARCHITECTURE rule 11): every record rule of the users module.
 *
 * - A platform admin manages every account.
 * - A bureau admin manages the accounts whose home (the account's region, or its school's region) lies in
 *   its regions, as long as every grant the account holds lies there too and is one a bureau hands out —
 *   never the platform's, the evaluators' or the partners' accounts (BUREAU_UNMANAGED), nor a bureau admin
 *   of its own level (only those below it).
 * - A school admin manages the accounts of its school whose every grant is a school role of that school
 *   (not the secretariat's or reviewers' accounts that carry the school's id).
 * - Everyone may see and change their own account through auth's /api/auth/me; here, one's own account is
 *   reachable as well (its grants are the actor's own).
 *
 * Revoking takes access away, never over: the account's home within reach and a grant the actor may hand
 * out suffice (a bureau ends an evaluator's engagement without managing the account).
 *
 * The list query applies the same rule in SQL: `homeScope` (a `Scope` over the account's region and school)
 * and `grantReach` (what a grant must match to be within reach; the service turns it into NOT EXISTS).
 */
import type { Role } from '../../../common/vocab.js';
import type { Actor } from '../../platform/actor.js';
import type { Scope } from '../../platform/scope.js';
import type { OrgSnapshot } from '../org/directory.js';

/** One grant of a managed account, with the region its scope lies in (alliance's / school's region). */
export interface UserGrantRef {
  role: string;
  scope_type: string;
  scope_id: string | null;
  region_id: string | null;
}

/** An account's home: its region, its school and the school's region. */
export interface UserHome {
  region_id: string | null;
  school_id: string | null;
  school_region_id: string | null;
}

/** Roles a bureau hands out but never manages the holders of (their accounts belong to third parties). */
export const BUREAU_UNMANAGED: readonly Role[] = ['platform_admin', 'evaluator', 'partner'];

/** Roles a school admin may hand out inside the own school. */
export const SCHOOL_GRANTABLE: readonly Role[] = ['teacher', 'student', 'guardian', 'school_admin'];

/** The regions where the actor itself is bureau admin (a bureau manages only bureau admins below them). */
export const bureauRoots = (a: Actor) => new Set(a.grants.filter((g) => g.role === 'bureau_admin' && g.scopeId).map((g) => g.scopeId!));

/** Whether one grant of an account lies within the actor's reach (see the file comment). */
export function grantWithinReach(a: Actor, g: UserGrantRef): boolean {
  if (a.isPlatformAdmin) return true;
  if (g.scope_type === 'school' && g.scope_id != null && a.adminSchools.has(g.scope_id) && SCHOOL_GRANTABLE.includes(g.role as Role)) return true;
  if (BUREAU_UNMANAGED.includes(g.role as Role) || g.region_id == null || !a.bureauRegions.has(g.region_id)) return false;
  return g.role !== 'bureau_admin' || !bureauRoots(a).has(g.scope_id ?? '');
}

/**
 * User administration (rename, disable, reset the password, grant): the account's home lies in the
 * actor's reach AND every grant the account holds does.
 */
export function manageUser(a: Actor, u: UserHome, grants: readonly UserGrantRef[] = []): boolean {
  return (
    a.isPlatformAdmin ||
    (((u.region_id != null && a.bureauRegions.has(u.region_id)) ||
      (u.school_region_id != null && a.bureauRegions.has(u.school_region_id)) ||
      (u.school_id != null && a.adminSchools.has(u.school_id))) &&
      grants.every((g) => grantWithinReach(a, g)))
  );
}

/** Revoking a grant: the account's home within reach (the grant itself is checked as one the actor may hand out). */
export function revokeFrom(a: Actor, u: UserHome): boolean {
  return manageUser(a, u, []);
}

/**
 * Whether the actor may hand out `role` in a scope lying in `region` (null: the installation). The region
 * is the scope's own (a region grant), or the alliance's / school's region.
 */
export function mayGrant(a: Actor, role: Role, scopeType: string, scopeId: string | null, region: string | null): boolean {
  if (scopeType === 'installation') return a.isPlatformAdmin;
  if (a.isPlatformAdmin) return true;
  if (region != null && a.bureauRegions.has(region)) return true;
  return scopeType === 'school' && scopeId != null && a.adminSchools.has(scopeId) && SCHOOL_GRANTABLE.includes(role);
}

/** Creating a partner's account: who oversees the partner organisation's region. */
export const createPartnerAccount = (a: Actor, partnerRegionId: string) => a.isPlatformAdmin || a.bureauRegions.has(partnerRegionId);

/** The region a grant's scope lies in, from the directory (null for the installation or an unknown scope). */
export function grantRegion(org: OrgSnapshot, scopeType: string, scopeId: string | null): string | null {
  if (scopeId == null) return null;
  if (scopeType === 'region') return org.region(scopeId) ? scopeId : null;
  if (scopeType === 'alliance') return org.alliance(scopeId)?.regionId ?? null;
  if (scopeType === 'school') return org.school(scopeId)?.regionId ?? null;
  return null;
}

/**
 * The accounts whose HOME the actor reaches, as a scope over the account's columns (`regions`: the account's
 * region; `schools`: its school — the admin's schools and every school in the bureau's regions).
 */
export function homeScope(a: Actor, org: OrgSnapshot): Scope {
  if (a.isPlatformAdmin) return { all: true };
  const schools = new Set(a.adminSchools);
  if (a.bureauRegions.size) for (const s of org.schoolsUnder(a.bureauRegions)) schools.add(s);
  return { all: false, regions: a.bureauRegions, schools };
}

/**
 * What a grant must match to lie within the actor's reach (grantWithinReach, as id sets for SQL): a school
 * role of an administered school, or — any role but BUREAU_UNMANAGED — a region scope in the bureau's
 * regions (but no bureau admin of the actor's own roots), an alliance or a school located there.
 */
export interface GrantReach {
  adminSchools: readonly string[];
  schoolRoles: readonly Role[];
  unmanagedRoles: readonly Role[];
  regions: readonly string[];
  ownRoots: readonly string[];
  alliances: readonly string[];
  schools: readonly string[];
}

export function grantReach(a: Actor, org: OrgSnapshot): GrantReach {
  const regions = [...a.bureauRegions];
  const alliances: string[] = [];
  if (regions.length) for (const al of org.allAlliances()) if (a.bureauRegions.has(al.regionId)) alliances.push(al.id);
  return {
    adminSchools: [...a.adminSchools],
    schoolRoles: SCHOOL_GRANTABLE,
    unmanagedRoles: BUREAU_UNMANAGED,
    regions,
    ownRoots: [...bureauRoots(a)],
    alliances,
    schools: regions.length ? org.schoolsUnder(a.bureauRegions) : [],
  };
}
