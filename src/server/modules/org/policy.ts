/**
 * Who may read and change the organization (ARCHITECTURE rule 11): regions, schools, alliances, their
 * members, partners, and the membership applications. Every record-level rule of the org module is here,
 * over the resolved `Actor` (platform/actor.ts) and, where a rule needs "who belongs where now", the
 * organization directory's snapshot. Route permissions (which roles may call which route at all) are in
 * `src/common/permissions.ts`.
 *
 * Denial of something whose existence is private answers "not found" (the services decide which).
 */
import type { Actor } from '../../platform/actor.js';
import type { Scope } from '../../platform/scope.js';
import type { OrgSnapshot } from './directory.js';

/** The fields of a school a rule needs. */
export interface SchoolRef {
  id: string;
  region_id: string;
}
/** The fields of an alliance a rule needs. */
export interface AllianceRef {
  id: string;
  region_id: string;
}

export const orgPolicy = {
  /** A region: its bureau and evaluators (the region and every region below theirs). */
  readRegion: (a: Actor, regionId: string) => a.isPlatformAdmin || a.readRegions.has(regionId),

  /**
   * A school: the bureau / evaluators of its region, its own staff, the members of an alliance it belongs
   * to (`schoolAlliances`), and the secretariat of an alliance it has an open application to (`appliedTo`:
   * they must see the applicant to evaluate it).
   */
  readSchool: (a: Actor, s: SchoolRef, schoolAlliances: readonly string[], appliedTo: readonly string[] = []) =>
    a.isPlatformAdmin ||
    a.readRegions.has(s.region_id) ||
    a.schools.has(s.id) ||
    schoolAlliances.some((id) => a.memberAlliances.has(id)) ||
    appliedTo.some((id) => a.adminAlliances.has(id)),
  /** A new school: the bureau of the region. */
  createSchool: (a: Actor, regionId: string) => a.isPlatformAdmin || a.bureauRegions.has(regionId),
  /** A school's data and yearly indicators: the bureau of its region, or its school admin. */
  updateSchool: (a: Actor, s: SchoolRef) => a.isPlatformAdmin || a.bureauRegions.has(s.region_id) || a.adminSchools.has(s.id),
  /**
   * 薄弱校 / 农村校 tags and the 村 location drive extra credits and the equity statistics: only the bureau
   * of the region (or the platform) sets or clears them, never the school itself.
   */
  setReservedSchoolTags: (a: Actor, s: SchoolRef) => a.isPlatformAdmin || a.bureauRegions.has(s.region_id),

  /** An alliance's public face: overseers of its region, its members, and schools of the regions below it (to apply). */
  readAlliance: (a: Actor, al: AllianceRef) =>
    a.isPlatformAdmin || a.readRegions.has(al.region_id) || a.memberAlliances.has(al.id) || a.homeRegionChain.has(al.region_id),
  /** Members, partners, governance, documents, milestones: the secretariat and the bureau. */
  manageAlliance: (a: Actor, al: AllianceRef) => a.isPlatformAdmin || a.bureauRegions.has(al.region_id) || a.adminAlliances.has(al.id),
  /** The alliance's internal documents and timeline: members and overseers, not the whole region. */
  readAllianceInternals: (a: Actor, al: AllianceRef) => a.isPlatformAdmin || a.readRegions.has(al.region_id) || a.memberAlliances.has(al.id),
  /** A new alliance: the bureau of the region. */
  createAlliance: (a: Actor, regionId: string) => a.isPlatformAdmin || a.bureauRegions.has(regionId),
  /** Exit a member / change the alliance itself (kind, core school): the alliance or the bureau. */
  exitMember: (a: Actor, al: AllianceRef) => a.isPlatformAdmin || a.bureauRegions.has(al.region_id) || a.adminAlliances.has(al.id),
  /** The 2-yearly assessment of an alliance (动态调整): the bureau. */
  assessAlliance: (a: Actor, al: AllianceRef) => a.isPlatformAdmin || a.bureauRegions.has(al.region_id),

  /** Apply for (and withdraw the application of) a school: its school admin. */
  applyForSchool: (a: Actor, schoolId: string) => a.isPlatformAdmin || a.adminSchools.has(schoolId),
  /** 联盟评估 and 理事会推荐: the alliance's secretariat / council. */
  allianceStep: (a: Actor, al: AllianceRef) => a.isPlatformAdmin || a.adminAlliances.has(al.id),
  /** 教育局审批: the bureau of the alliance's region. */
  bureauStep: (a: Actor, al: AllianceRef) => a.isPlatformAdmin || a.bureauRegions.has(al.region_id),
  /** An application: the overseers of the alliance's region, the alliance's secretariat, the applying school. */
  readApplication: (a: Actor, al: AllianceRef, schoolId: string) =>
    a.isPlatformAdmin || a.readRegions.has(al.region_id) || a.adminAlliances.has(al.id) || a.schools.has(schoolId),

  /**
   * Register a partner in a region: the bureau of the region, or the secretariat of an alliance that lies in
   * it (below the province: a province-level partner is registered by province-level administrators only).
   */
  createPartner: (a: Actor, region: { id: string; level: string }, org: OrgSnapshot) =>
    a.isPlatformAdmin || a.bureauRegions.has(region.id) || (region.level !== 'province' && ownAlliancesIn(a, org, org.regionsUnder([region.id]))),
};

/** Whether the actor administers an alliance of one of these regions. */
function ownAlliancesIn(a: Actor, org: OrgSnapshot, regions: ReadonlySet<string>): boolean {
  for (const id of a.adminAlliances) {
    const al = org.alliance(id);
    if (al && regions.has(al.regionId)) return true;
  }
  return false;
}

// ---- read scopes (for `inScope` in list queries) ----------------------------------------------

/**
 * The schools an actor lists: those of its regions (`regions` over the school's region), its own schools
 * and the schools of the alliances it belongs to (`schools` over the school's id).
 */
export function schoolReadScope(a: Actor, org: OrgSnapshot): Scope {
  if (a.isPlatformAdmin) return { all: true };
  const schools = new Set(a.schools);
  for (const s of org.schoolsOfAlliances(a.memberAlliances)) schools.add(s);
  return { all: false, regions: a.readRegions, schools };
}

/** The alliances an actor lists: those of its regions and of the regions above its schools, and its own. */
export function allianceReadScope(a: Actor): Scope {
  if (a.isPlatformAdmin) return { all: true };
  return { all: false, regions: new Set([...a.readRegions, ...a.homeRegionChain]), alliances: a.memberAlliances };
}

/**
 * The applications an actor lists: those to alliances of its regions or administered by it (`alliances`
 * over the application's alliance), and those of its own schools (`schools` over the applying school).
 */
export function applicationReadScope(a: Actor, org: OrgSnapshot): Scope {
  if (a.isPlatformAdmin) return { all: true };
  const alliances = new Set(a.adminAlliances);
  if (a.readRegions.size) for (const al of org.allAlliances()) if (a.readRegions.has(al.regionId)) alliances.add(al.id);
  return { all: false, alliances, schools: a.schools };
}

/**
 * The partners an actor lists: those of its regions, of the regions above its schools and above the
 * alliances it administers (the partners it may add), and the partners of its alliances.
 */
export function partnerReadScope(a: Actor, org: OrgSnapshot): Scope {
  if (a.isPlatformAdmin) return { all: true };
  const managedRegions = new Set<string>();
  for (const id of a.adminAlliances) {
    const al = org.alliance(id);
    if (al) managedRegions.add(al.regionId);
  }
  const regions = new Set([...a.readRegions, ...a.homeRegionChain, ...org.regionsAbove(managedRegions)]);
  const partners = new Set<string>();
  for (const al of a.memberAlliances) for (const p of org.partnersOf(al)) partners.add(p);
  return { all: false, regions, partners };
}

/** Regions the actor sees in the region list: bureau and evaluator regions, the chain above its schools. */
export const readableRegion = (a: Actor, id: string) => a.isPlatformAdmin || a.readRegions.has(id) || a.homeRegionChain.has(id);

/** The regions at or under which the actor administers regions (its bureau grants' roots). */
export const bureauRoots = (a: Actor) => a.grants.filter((g) => g.role === 'bureau_admin' && g.scopeType === 'region' && g.scopeId).map((g) => g.scopeId!);

/**
 * Create, change or delete a region whose parent is `parentId` (null: a province). The platform admin
 * anywhere; a bureau admin strictly below its own region (never that region itself, never a province).
 * `chainOfParent`: the parent and every region above it.
 */
export function mayManageRegionUnder(a: Actor, parentId: string | null, chainOfParent: ReadonlySet<string>): boolean {
  if (a.isPlatformAdmin) return true;
  if (!parentId) return false;
  return bureauRoots(a).some((r) => chainOfParent.has(r));
}
