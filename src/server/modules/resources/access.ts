/**
 * Who reaches which resource (SPEC S2, S8). One place for the rules, used by every list, detail,
 * preview and download:
 *  - a published resource (it has a current version and is neither withdrawn nor archived) reaches
 *    the actor by its visibility: 本校 the owning school, 联盟 + the resource's alliance, 区域 + the
 *    owning school's city, 公开 every signed-in user; overseers (bureau/evaluator of the region) and the
 *    platform admin see every published resource of their regions;
 *  - unpublished work (drafts, returned, withdrawn, archived, a version under review) reaches only its
 *    author, its reviewer and the admins of its school, alliance or region.
 */
import { sql, type ExpressionBuilder, type Expression, type SqlBool } from 'kysely';
import { downloadAllowed, visibleTo, type Licence, type ReachFacts, type Visibility } from '../../../common/resources.js';
import type { DB } from '../../db/schema.js';
import type { ResourcesTable } from './tables.js';

/** The database as seen from `selectFrom('resources as r')`. */
export type RDB = DB & { r: ResourcesTable };
import type { Actor } from '../../platform/policy.js';

export interface ResourceRef {
  id: string;
  school_id: string;
  alliance_id: string | null;
  region_id: string;
  visibility: string;
  licence: string;
  status: string;
  created_by: string;
  reviewer_id: string | null;
  current_version_id: string | null;
}

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

export function facts(a: Actor, r: Pick<ResourceRef, 'school_id' | 'alliance_id' | 'region_id'>): ReachFacts {
  return {
    sameSchool: actorSchools(a).has(r.school_id),
    sameAlliance: r.alliance_id != null && a.memberAlliances.has(r.alliance_id),
    sameRegion: actorRegions(a).has(r.region_id),
    signedIn: true,
  };
}

export const isLive = (r: Pick<ResourceRef, 'current_version_id' | 'status'>) =>
  r.current_version_id != null && r.status !== 'withdrawn' && r.status !== 'archived';

/** Admins of the resource: platform, the owning school's admin, the alliance's secretariat, the bureau. */
export function isResourceAdmin(a: Actor, r: Pick<ResourceRef, 'school_id' | 'alliance_id' | 'region_id'>): boolean {
  return (
    a.isPlatformAdmin || a.adminSchools.has(r.school_id) || (r.alliance_id != null && a.adminAlliances.has(r.alliance_id)) || a.bureauRegions.has(r.region_id)
  );
}

/** A reviewer grant of the alliance (any subject). */
export function reviewsAlliance(a: Actor, allianceId: string | null): boolean {
  return allianceId != null && a.grants.some((g) => g.role === 'reviewer' && g.scopeId === allianceId);
}

/** Author, reviewer, admins: may see work that is not (or not yet) published. */
export function seesUnpublished(a: Actor, r: ResourceRef): boolean {
  if (r.created_by === a.userId || r.reviewer_id === a.userId) return true;
  if ((r.status === 'submitted' || r.status === 'in_review') && reviewsAlliance(a, r.alliance_id)) return true;
  return isResourceAdmin(a, r);
}

export function seesPublished(a: Actor, r: ResourceRef): boolean {
  if (!isLive(r)) return false;
  if (a.isPlatformAdmin || a.readRegions.has(r.region_id)) return true;
  return visibleTo(r.visibility as Visibility, facts(a, r));
}

export function canSee(a: Actor, r: ResourceRef): boolean {
  return seesPublished(a, r) || seesUnpublished(a, r);
}

/** Download (a copy leaving the platform): visible, and the licence allows it for the actor. */
export function canDownload(a: Actor, r: ResourceRef): boolean {
  if (seesUnpublished(a, r)) return true;
  if (!seesPublished(a, r)) return false;
  return downloadAllowed(r.licence as Licence, facts(a, r));
}

const inList = (eb: ExpressionBuilder<RDB, 'r'>, col: 'r.school_id' | 'r.alliance_id' | 'r.region_id', ids: Set<string>) =>
  ids.size ? eb(col, 'in', [...ids]) : null;

/** SQL: the published resources (alias `r`) that reach the actor. */
export function publishedFilter(a: Actor) {
  return (eb: ExpressionBuilder<RDB, 'r'>): Expression<SqlBool> => {
    const live = eb.and([eb('r.current_version_id', 'is not', null), eb('r.status', 'not in', ['withdrawn', 'archived'])]);
    if (a.isPlatformAdmin) return live;
    const schools = actorSchools(a);
    const regions = actorRegions(a);
    const ors: Expression<SqlBool>[] = [eb('r.visibility', '=', 'public')];
    const s = inList(eb, 'r.school_id', schools);
    if (s) ors.push(s);
    const al = inList(eb, 'r.alliance_id', a.memberAlliances);
    if (al) ors.push(eb.and([eb('r.visibility', 'in', ['alliance', 'region']), al]));
    const rg = inList(eb, 'r.region_id', regions);
    if (rg) ors.push(eb.and([eb('r.visibility', '=', 'region'), rg]));
    const over = inList(eb, 'r.region_id', a.readRegions);
    if (over) ors.push(over);
    return eb.and([live, eb.or(ors)]);
  };
}

/** SQL: every resource (alias `r`) the actor may see in some state (used by "mine"-like lists). */
export function anyStateFilter(a: Actor) {
  return (eb: ExpressionBuilder<RDB, 'r'>): Expression<SqlBool> => {
    if (a.isPlatformAdmin) return sql<SqlBool>`1 = 1`;
    const ors: Expression<SqlBool>[] = [publishedFilter(a)(eb), eb('r.created_by', '=', a.userId), eb('r.reviewer_id', '=', a.userId)];
    const s = inList(eb, 'r.school_id', a.adminSchools);
    if (s) ors.push(s);
    const al = inList(eb, 'r.alliance_id', a.adminAlliances);
    if (al) ors.push(al);
    const rg = inList(eb, 'r.region_id', a.bureauRegions);
    if (rg) ors.push(rg);
    return eb.or(ors);
  };
}
