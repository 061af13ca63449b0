/**
 * Who may do what with a course resource (SPEC S2, S8; ARCHITECTURE rule 11). The one policy file of the
 * resources module: every list, detail, preview, download, edit, review and archive asks these rules.
 *
 * Reading:
 *  - a published resource (it has a current version and is neither withdrawn nor archived) reaches the
 *    actor by its visibility: 本校 the owning school, 联盟 + the resource's alliance, 区域 + the owning
 *    school's city, 公开 every signed-in user; overseers (bureau/evaluator of the region) and the platform
 *    admin see every published resource of their regions;
 *  - unpublished work (drafts, returned, withdrawn, archived, a version under review) reaches only its
 *    author, its reviewer, the alliance's reviewers while it waits for review, and the admins of its
 *    school, alliance or region.
 * Editing, withdrawing and archiving: the author and the admins of the resource.
 * Reviewing: the assigned reviewer, or while none is assigned any reviewer of the resource's alliance;
 * never the author. Assigning a reviewer: the admins of the resource.
 */
import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';
import { downloadAllowed, visibleTo, type ReachFacts, type ResourceStatus } from '../../../common/resources.js';
import type { Role } from '../../../common/vocab.js';
import type { DB } from '../../db/schema.js';
import { holds, type Actor } from '../../platform/actor.js';
import { inScope, type Scope } from '../../platform/scope.js';
import type { ResourcesTable } from '../../db/tables/resources.js';

/** The database as seen from `selectFrom('resources as r')`. */
export type RDB = DB & { r: ResourcesTable };

/** What the rules need to know of a resource. */
export type ResourceRef = Pick<
  ResourcesTable,
  'id' | 'school_id' | 'alliance_id' | 'region_id' | 'visibility' | 'licence' | 'status' | 'created_by' | 'reviewer_id' | 'current_version_id'
>;
type Placed = Pick<ResourceRef, 'school_id' | 'alliance_id' | 'region_id'>;

// ---- the actor's reach ------------------------------------------------------------------------------

/** The actor's own schools: school-scoped grants plus the school of the account. */
export function actorSchools(a: Actor): Set<string> {
  const s = new Set(a.schools);
  if (a.schoolId) s.add(a.schoolId);
  return s;
}

/** Regions whose 区域 resources reach the actor: the chain above the own schools, and overseen regions. */
export function actorRegions(a: Actor): Set<string> {
  return new Set([...a.homeRegionChain, ...a.readRegions]);
}

export function facts(a: Actor, r: Placed): ReachFacts {
  return {
    sameSchool: actorSchools(a).has(r.school_id),
    sameAlliance: r.alliance_id != null && a.memberAlliances.has(r.alliance_id),
    sameRegion: actorRegions(a).has(r.region_id),
    signedIn: true,
  };
}

// ---- reading ----------------------------------------------------------------------------------------

/** Published and not retired: what others see and use. */
export const isLive = (r: Pick<ResourceRef, 'current_version_id' | 'status'>) =>
  r.current_version_id != null && r.status !== 'withdrawn' && r.status !== 'archived';

/** Admins of the resource: platform, the owning school's admin, the alliance's secretariat, the bureau. */
export function isResourceAdmin(a: Actor, r: Placed): boolean {
  return (
    a.isPlatformAdmin || a.adminSchools.has(r.school_id) || (r.alliance_id != null && a.adminAlliances.has(r.alliance_id)) || a.bureauRegions.has(r.region_id)
  );
}

/** Reviews are assigned among the holders of this role in the resource's alliance (the subject chooses first). */
export const REVIEWER_ROLE = 'reviewer' satisfies Role;
/** Told when no reviewer of the alliance can take a submitted resource: the alliance's secretariat. */
export const UNASSIGNED_TOLD_ROLE = 'alliance_admin' satisfies Role;

/** The alliances where the actor holds a reviewer grant (any subject). */
export function reviewerAlliances(a: Actor): string[] {
  return [...new Set(a.grants.filter((g) => g.role === REVIEWER_ROLE && g.scopeId).map((g) => g.scopeId!))];
}

/** A reviewer grant of the alliance (any subject). */
export function reviewsAlliance(a: Actor, allianceId: string | null): boolean {
  return allianceId != null && a.grants.some((g) => g.role === REVIEWER_ROLE && g.scopeId === allianceId);
}

const waitsForReview = (status: ResourceStatus) => status === 'submitted' || status === 'in_review';

/** Author, reviewer, admins: may see work that is not (or not yet) published. */
export function seesUnpublished(a: Actor, r: ResourceRef): boolean {
  if (r.created_by === a.userId || r.reviewer_id === a.userId) return true;
  if (waitsForReview(r.status) && reviewsAlliance(a, r.alliance_id)) return true;
  return isResourceAdmin(a, r);
}

export function seesPublished(a: Actor, r: ResourceRef): boolean {
  if (!isLive(r)) return false;
  if (a.isPlatformAdmin || a.readRegions.has(r.region_id)) return true;
  return visibleTo(r.visibility, facts(a, r));
}

export function canSee(a: Actor, r: ResourceRef): boolean {
  return seesPublished(a, r) || seesUnpublished(a, r);
}

/** Download (a copy leaving the platform): visible, and the licence allows it for the actor. */
export function canDownload(a: Actor, r: ResourceRef): boolean {
  if (seesUnpublished(a, r)) return true;
  if (!seesPublished(a, r)) return false;
  return downloadAllowed(r.licence, facts(a, r));
}

/** Why a visible resource cannot be downloaded (the only licence that refuses is 联盟内使用). */
export const DOWNLOAD_BLOCKED = '该资源的许可为“联盟内使用, 禁止转载”，仅联盟成员校可下载';

// ---- writing ----------------------------------------------------------------------------------------

/** A new resource may belong to one of the actor's own schools (any school for the platform). */
export function mayCreateFor(a: Actor, schoolId: string): boolean {
  return a.isPlatformAdmin || actorSchools(a).has(schoolId);
}

/** Edit, upload, submit, withdraw, archive: the author and the admins of the resource. */
export function canEdit(a: Actor, r: Placed & Pick<ResourceRef, 'created_by'>): boolean {
  return r.created_by === a.userId || isResourceAdmin(a, r);
}

/** Choose the reviewer of a resource: its admins. */
export const mayAssign = isResourceAdmin;

/** Review (publish or return): the assigned reviewer, or any reviewer of the alliance while none is assigned; never the author. */
export function mayReview(a: Actor, r: Pick<ResourceRef, 'reviewer_id' | 'alliance_id' | 'created_by'>): boolean {
  if (r.created_by === a.userId) return false;
  return a.isPlatformAdmin || r.reviewer_id === a.userId || (r.reviewer_id == null && reviewsAlliance(a, r.alliance_id));
}

/** Whether the detail page offers "review": a reviewing role, a resource waiting for review, and `mayReview`. */
export function offersReview(a: Actor, r: Pick<ResourceRef, 'reviewer_id' | 'alliance_id' | 'created_by' | 'status'>): boolean {
  return holds(a, 'resource.review') && waitsForReview(r.status) && mayReview(a, r);
}

/** Rate and comment: teaching roles, on a published resource they see, not their own (for ratings). */
export function mayRate(a: Actor, r: ResourceRef): boolean {
  return isLive(r) && seesPublished(a, r) && r.created_by !== a.userId && holds(a, 'resource.feedback');
}

/** "Used in my class": the roles that write resources (teachers, reviewers, school admins), on a published resource. */
export function mayReportUse(a: Actor, r: ResourceRef): boolean {
  return isLive(r) && seesPublished(a, r) && holds(a, 'resource.write');
}

/** Remove a comment: its writer, the resource's author, the resource's admins. */
export function mayRemoveComment(a: Actor, r: Placed & Pick<ResourceRef, 'created_by'>, commentBy: string): boolean {
  return commentBy === a.userId || r.created_by === a.userId || isResourceAdmin(a, r);
}

/**
 * A school's contributions (its credit standing from resources): the school's admins and the overseers of
 * its region or city — not every member of the school.
 */
export function readsSchoolContributions(a: Actor, school: { id: string; regionId: string }, city: string | null): boolean {
  return a.isPlatformAdmin || a.adminSchools.has(school.id) || a.readRegions.has(school.regionId) || (city != null && a.readRegions.has(city));
}

// ---- read scopes (SQL) ------------------------------------------------------------------------------

/** The published resources of these ids reach the actor whatever their visibility: the platform, overseen regions. */
export function overseenScope(a: Actor): Scope {
  return a.isPlatformAdmin ? { all: true } : { all: false, regions: a.readRegions };
}

/** Every visibility reaches the own schools; 联盟 and 区域 reach the member alliances; 区域 reaches the home regions. */
const ownSchools = (a: Actor): Scope => ({ all: false, schools: actorSchools(a) });
const memberAlliances = (a: Actor): Scope => ({ all: false, alliances: a.memberAlliances });
const homeRegions = (a: Actor): Scope => ({ all: false, regions: actorRegions(a) });

const empty = (s: Scope) => !s.all && !s.regions?.size && !s.alliances?.size && !s.schools?.size && !s.partners?.size && !s.users?.size;

/** SQL: the published resources (alias `r`) that reach the actor. */
export function publishedFilter(a: Actor) {
  return (eb: ExpressionBuilder<RDB, 'r'>): Expression<SqlBool> => {
    const live = eb.and([eb('r.current_version_id', 'is not', null), eb('r.status', 'not in', ['withdrawn', 'archived'])]);
    if (a.isPlatformAdmin) return live;
    const cols = { schools: 'r.school_id', alliances: 'r.alliance_id', regions: 'r.region_id' } as const;
    const ors: Expression<SqlBool>[] = [eb('r.visibility', '=', 'public')];
    const own = ownSchools(a);
    if (!empty(own)) ors.push(inScope(eb, own, cols));
    const member = memberAlliances(a);
    if (!empty(member)) ors.push(eb.and([eb('r.visibility', 'in', ['alliance', 'region']), inScope(eb, member, cols)]));
    const home = homeRegions(a);
    if (!empty(home)) ors.push(eb.and([eb('r.visibility', '=', 'region'), inScope(eb, home, cols)]));
    const over = overseenScope(a);
    if (!empty(over)) ors.push(inScope(eb, over, cols));
    return eb.and([live, eb.or(ors)]);
  };
}
