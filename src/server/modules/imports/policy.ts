/**
 * Who may import what, and who sees an import (ARCHITECTURE rule 11): every record rule of the imports module.
 *
 * - Schools: into a region the actor may create schools in (the bureau of the region; org policy).
 * - Regions: below a region of the bureau's own regions (the platform admin: anywhere, without a region);
 *   each row must also be one the actor may create (orgPolicy / mayManageRegionUnder, checked per row).
 * - Users: into a school whose accounts the actor manages (the school admin, or the bureau of the school's
 *   region; users policy). A school the actor cannot read is "not found", one it reads but does not
 *   manage is "forbidden".
 * - An import is seen by who made it, the bureau of its region and the admin of its school.
 */
import type { Actor } from '../../platform/actor.js';
import type { Scope } from '../../platform/scope.js';
import type { OrgSnapshot } from '../org/directory.js';
import { orgPolicy } from '../org/policy.js';
import { manageUser } from '../users/policy.js';

export type Verdict = 'ok' | 'not_found' | 'forbidden';

/** Importing regions below `regionId` (null: anywhere, the platform admin only). */
export function importRegions(a: Actor, org: OrgSnapshot, regionId: string | null): Verdict {
  if (regionId === null) return a.isPlatformAdmin ? 'ok' : 'forbidden';
  if (!org.region(regionId) || !orgPolicy.readRegion(a, regionId)) return 'not_found';
  return a.isPlatformAdmin || a.bureauRegions.has(regionId) ? 'ok' : 'forbidden';
}

/** Importing schools into `regionId`. */
export function importSchools(a: Actor, org: OrgSnapshot, regionId: string): Verdict {
  if (!org.region(regionId) || !orgPolicy.readRegion(a, regionId)) return 'not_found';
  return orgPolicy.createSchool(a, regionId) ? 'ok' : 'forbidden';
}

/** Importing accounts (with a school role) into `schoolId`. */
export function importUsers(a: Actor, org: OrgSnapshot, schoolId: string): Verdict {
  const s = org.school(schoolId);
  if (!s || !orgPolicy.readSchool(a, { id: s.id, region_id: s.regionId }, org.alliancesOfSchool(s.id))) return 'not_found';
  return manageUser(a, { region_id: null, school_id: s.id, school_region_id: s.regionId }) ? 'ok' : 'forbidden';
}

/** Whether the actor sees one import. */
export function seeImport(a: Actor, i: { created_by: string; region_id: string | null; school_id: string | null }): boolean {
  return (
    a.isPlatformAdmin ||
    i.created_by === a.userId ||
    (i.region_id != null && a.bureauRegions.has(i.region_id)) ||
    (i.school_id != null && a.adminSchools.has(i.school_id))
  );
}

/** The imports an actor lists (the same rule as seeImport): `users` over created_by, `regions`, `schools`. */
export function importReadScope(a: Actor): Scope {
  if (a.isPlatformAdmin) return { all: true };
  return { all: false, users: new Set([a.userId]), regions: a.bureauRegions, schools: a.adminSchools };
}
