/**
 * Facilities and bookings: who may do what with which record (ARCHITECTURE rule 11). Route permissions
 * (`facility.read`, `facility.manage`, `booking.create`, `booking.decide`) are checked before a handler runs
 * (src/common/permissions.ts); the rules below then decide per record. Services call these functions and
 * compare no role names themselves.
 *
 * WHO MAY APPROVE THIS BOOKING? (`canDecideBooking`) — whoever holds `booking.decide` AND manages the
 * facility: the school admin of the owning school, or an account of the partner organisation that owns a
 * partner venue; the platform admin. The bureau manages the inventory of its region but holds no
 * `booking.decide`, so it never approves, rejects or checks in. The same rule covers check-in, no-show and
 * returning lent equipment.
 *
 * Who READS a facility (`canReadFacility`, scope `facilityReadScope`): the platform admin; the bureau and
 * evaluators of its region; the owning school's own people; the owning partner's accounts; members of any
 * alliance the owner belongs to (a school's ACTIVE memberships, or the alliances a partner works with); and
 * for community-open facilities, guardians of schools in the region (or below it).
 *
 * Who MANAGES a facility (`canManageFacility`: inventory, open hours, closures, equipment): the platform
 * admin; the bureau of its region; the school admin of the owning school; for a partner venue, the
 * accounts of THAT partner organisation (never another partner's). Mobile kits: the alliance secretariat
 * (or the bureau of the alliance's region) — `canManageKits`. A school's closures and terms: who may update
 * the school — `canManageSchoolCalendar`.
 *
 * Who BOOKS a facility (`bookingAlliance`): the owner school's own people book without an alliance; anyone
 * else books as a member of an alliance the booker's school shares with the owner (the requested one, or
 * the first shared one); community-open venues at weekends need no alliance. Students and guardians
 * (`communityBookerOnly`) book only community-open venues at weekends, never charged to a school.
 *
 * Who SEES a booking (`canSeeBooking`): the booker, the booker's school, and whoever reads the facility.
 */
import { ROLE_PERMISSIONS } from '../../../common/permissions.js';
import { holds, type Actor } from '../../platform/actor.js';
import type { Scope } from '../../platform/scope.js';

/** What the rules need of a facility (a `facilities` row has all of it). */
export interface FacilityRef {
  region_id: string;
  school_id: string | null;
  partner_id: string | null;
  community_open: number;
}

/** What the rules need of the organization directory (an `OrgSnapshot` from `directoryOf(db).current()`). */
export interface FacilityOrgView {
  alliancesOfSchool(schoolId: string): string[];
  alliancesOfPartner(partnerId: string): readonly string[];
  schoolsOfAlliances(allianceIds: Iterable<string>): Set<string>;
  partnersOf(allianceId: string): readonly string[];
}

/** A school or an alliance as the rules see it (its id and region). */
export interface PlaceRef {
  id: string;
  regionId: string;
}

// ---- who reads a facility ------------------------------------------------------------------------

/** The alliances of a facility's owner: the owner school's active memberships, or the alliances a partner works with. */
export function ownerAlliances(org: FacilityOrgView, f: Pick<FacilityRef, 'school_id' | 'partner_id'>): string[] {
  if (f.school_id) return org.alliancesOfSchool(f.school_id);
  if (f.partner_id) return [...org.alliancesOfPartner(f.partner_id)];
  return [];
}

/** Guardians see community-open facilities of their schools' regions (and the regions above them). */
export function communityReader(actor: Actor): boolean {
  return actor.grants.some((g) => g.role === 'guardian');
}

/** Whether the actor may see the facility (its owner's alliances from `ownerAlliances`). */
export function canReadFacility(actor: Actor, f: FacilityRef, owners: readonly string[]): boolean {
  return (
    actor.isPlatformAdmin ||
    actor.readRegions.has(f.region_id) ||
    (f.school_id != null && actor.schools.has(f.school_id)) ||
    (f.partner_id != null && actor.partners.has(f.partner_id)) ||
    owners.some((a) => actor.memberAlliances.has(a)) ||
    (f.community_open === 1 && communityReader(actor) && actor.homeRegionChain.has(f.region_id))
  );
}

/**
 * The facilities the actor reads, as a scope over `facilities` (regions: f.region_id, schools: f.school_id,
 * partners: f.partner_id), without the community rule — add `communityScope` for that (it needs
 * `community_open = 1` too). The schools and partners of the actor's alliances come from the directory.
 */
export function facilityReadScope(actor: Actor, org: FacilityOrgView): Scope {
  if (actor.isPlatformAdmin) return { all: true };
  const schools = new Set(actor.schools);
  const partners = new Set(actor.partners);
  for (const s of org.schoolsOfAlliances(actor.memberAlliances)) schools.add(s);
  for (const a of actor.memberAlliances) for (const p of org.partnersOf(a)) partners.add(p);
  return { all: false, regions: actor.readRegions, schools, partners };
}

/** The regions whose community-open facilities the actor reads besides `facilityReadScope` (guardians). */
export function communityScope(actor: Actor): Scope {
  if (!communityReader(actor) || actor.homeRegionChain.size === 0) return { all: false };
  return { all: false, regions: actor.homeRegionChain };
}

// ---- who manages a facility ----------------------------------------------------------------------

/** Inventory, open hours, closures and equipment of the facility. */
export function canManageFacility(actor: Actor, f: Pick<FacilityRef, 'region_id' | 'school_id' | 'partner_id'>): boolean {
  if (actor.isPlatformAdmin || actor.bureauRegions.has(f.region_id)) return true;
  if (f.school_id) return actor.adminSchools.has(f.school_id);
  // a partner account runs its own organisation's venues only, never another partner's
  return f.partner_id != null && actor.partners.has(f.partner_id);
}

/** Create a facility for this owner (school: its region and id; partner venue: the partner's). */
export function canCreateFacility(actor: Actor, owner: { regionId: string; schoolId: string | null; partnerId: string | null }): boolean {
  return canManageFacility(actor, { region_id: owner.regionId, school_id: owner.schoolId, partner_id: owner.partnerId });
}

// ---- bookings ------------------------------------------------------------------------------------

/** Approve, reject, check in, mark no-show, return lent equipment: the owner (school admin, partner), not the bureau. */
export function canDecideBooking(actor: Actor, f: Pick<FacilityRef, 'region_id' | 'school_id' | 'partner_id'>): boolean {
  return holds(actor, 'booking.decide') && canManageFacility(actor, f);
}

/** A booking is accepted at once (no approval) when the facility books automatically or its decider books it. */
export function bookingAutoAccepted(actor: Actor, f: Pick<FacilityRef, 'region_id' | 'school_id' | 'partner_id'> & { policy: string }): boolean {
  return f.policy === 'auto' || canManageFacility(actor, f);
}

/** The booker, the booker's school, or whoever reads the facility. */
export function canSeeBooking(
  actor: Actor,
  b: { booker_id: string; booker_school_id: string | null },
  f: FacilityRef,
  owners: readonly string[],
): { visible: boolean; mine: boolean } {
  const mine = b.booker_id === actor.userId || (b.booker_school_id != null && actor.schools.has(b.booker_school_id));
  return { visible: mine || canReadFacility(actor, f, owners), mine };
}

/**
 * Students and guardians book only what SPEC S3.2 opens to the community ("school facilities open to the
 * community at weekends"): community-open venues at weekends, under no alliance, never charged to a
 * school. True when the actor's only booking rights come from student / guardian grants.
 */
export function communityBookerOnly(actor: Actor): boolean {
  return (
    !actor.isPlatformAdmin && !actor.grants.some((g) => g.role !== 'student' && g.role !== 'guardian' && ROLE_PERMISSIONS[g.role]?.includes('booking.create'))
  );
}

export type BookingAllianceResult =
  | { ok: true; allianceId: string | null; bookerSchoolId: string | null }
  | { ok: false; code: 'community_booking_only' | 'out_of_scope' | 'no_common_alliance' };

/**
 * The alliance a booking is made under: none for the own school's facility; else the requested one, or the
 * first alliance the booker's school shares with the owner; community venues at weekends need no alliance;
 * the platform admin books without one. Anyone else is refused. Pure: the caller passes whether the booking
 * starts at a weekend and the owner's alliances (`ownerAlliances`); the booker's from the directory.
 */
export function bookingAlliance(
  actor: Actor,
  f: FacilityRef,
  owners: readonly string[],
  org: Pick<FacilityOrgView, 'alliancesOfSchool'>,
  requested: string | null | undefined,
  weekend: boolean,
): BookingAllianceResult {
  if (communityBookerOnly(actor)) {
    if (f.community_open !== 1 || !weekend) return { ok: false, code: 'community_booking_only' };
    return { ok: true, allianceId: null, bookerSchoolId: null };
  }
  const bookerSchoolId = actor.schoolId;
  if (f.school_id && bookerSchoolId === f.school_id) return { ok: true, allianceId: null, bookerSchoolId };
  const mine = bookerSchoolId ? org.alliancesOfSchool(bookerSchoolId) : [];
  const common = owners.filter((a) => mine.includes(a)).sort();
  if (requested) {
    if (!common.includes(requested)) return { ok: false, code: 'out_of_scope' };
    return { ok: true, allianceId: requested, bookerSchoolId };
  }
  if (common.length) return { ok: true, allianceId: common[0]!, bookerSchoolId };
  if (f.community_open === 1 && weekend) return { ok: true, allianceId: null, bookerSchoolId };
  if (actor.isPlatformAdmin) return { ok: true, allianceId: null, bookerSchoolId };
  return { ok: false, code: 'no_common_alliance' };
}

// ---- schools' calendars and alliances' mobile kits ------------------------------------------------

/** Read a school's terms (the same rule as reading the school: region overseers, its people, its alliances' members). */
export function canReadSchool(actor: Actor, s: PlaceRef, schoolAlliances: readonly string[]): boolean {
  return actor.isPlatformAdmin || actor.readRegions.has(s.regionId) || actor.schools.has(s.id) || schoolAlliances.some((id) => actor.memberAlliances.has(id));
}

/** A school's closures and terms: its school admin, the bureau of its region, the platform admin. */
export function canManageSchoolCalendar(actor: Actor, s: PlaceRef): boolean {
  return actor.isPlatformAdmin || actor.bureauRegions.has(s.regionId) || actor.adminSchools.has(s.id);
}

/** Read an alliance's mobile kits: its members and the overseers of its region. */
export function canReadKits(actor: Actor, al: PlaceRef): boolean {
  return actor.isPlatformAdmin || actor.readRegions.has(al.regionId) || actor.memberAlliances.has(al.id);
}

/** Add kits and rotations: the alliance secretariat, the bureau of its region, the platform admin. */
export function canManageKits(actor: Actor, al: PlaceRef): boolean {
  return actor.isPlatformAdmin || actor.bureauRegions.has(al.regionId) || actor.adminAlliances.has(al.id);
}

// ---- utilization reports (S3.4) ------------------------------------------------------------------

/** The staff roles that read their own alliance's or school's utilization (not students or guardians). */
const UTILIZATION_STAFF = new Set(['school_admin', 'teacher', 'reviewer', 'partner', 'alliance_admin']);
const isStaff = (actor: Actor) => actor.grants.some((g) => UTILIZATION_STAFF.has(g.role));

/** An alliance's utilization: the platform admin, the region's bureau and evaluators, the secretariat, the alliance's staff. */
export function canSeeAllianceUtilization(actor: Actor, al: PlaceRef): boolean {
  return actor.isPlatformAdmin || actor.readRegions.has(al.regionId) || actor.adminAlliances.has(al.id) || (actor.memberAlliances.has(al.id) && isStaff(actor));
}

/** A school's utilization: its own staff, the region's overseers, the secretariats of the alliances it belongs to. */
export function canSeeSchoolUtilization(actor: Actor, s: PlaceRef, schoolAlliances: readonly string[]): boolean {
  return (
    actor.isPlatformAdmin ||
    actor.readRegions.has(s.regionId) ||
    actor.adminSchools.has(s.id) ||
    (actor.schools.has(s.id) && isStaff(actor)) ||
    schoolAlliances.some((id) => actor.adminAlliances.has(id))
  );
}
