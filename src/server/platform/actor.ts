/**
 * The actor: who is asking, resolved once per session (ARCHITECTURE rules 11–12).
 *
 * An actor is the account's grants plus the reach they give, as sets of ids: the regions (with every
 * region below) a bureau manages or an evaluator reads, the alliances one administers or belongs to, the
 * schools, the partner organisation. It is built from the grants and the organization directory
 * (`resolveActor`, pure) and cached per session by the auth module for a few seconds.
 *
 * Record rules over these sets are in each module's `policy.ts`; the role → permission table is
 * `src/common/permissions.ts`.
 */
import { anyRoleHolds, type Permission } from '../../common/permissions.js';
import type { Role } from '../../common/vocab.js';

export interface Grant {
  id: string;
  role: Role;
  scopeType: 'installation' | 'region' | 'alliance' | 'school';
  scopeId: string | null;
  subject: string | null;
}

export interface Actor {
  userId: string;
  username: string;
  displayName: string;
  schoolId: string | null;
  regionId: string | null;
  grants: Grant[];
  sessionId: string;
  csrfToken: string;
  mustChangePassword: boolean;
  /** the CLI or a job acting for the installation (no account: audit rows carry no user id) */
  system?: true;
  isPlatformAdmin: boolean;
  /** regions (with every descendant) where the actor is 教育局管理员 */
  bureauRegions: Set<string>;
  /** regions (with descendants) the actor may read: bureau + evaluator grants */
  readRegions: Set<string>;
  /** alliances where the actor is 秘书处/理事 */
  adminAlliances: Set<string>;
  /** alliances the actor belongs to: alliance-scoped grants + active memberships of the actor's schools */
  memberAlliances: Set<string>;
  /** schools of the actor's school-scoped grants */
  schools: Set<string>;
  /** schools where the actor is 学校管理员 */
  adminSchools: Set<string>;
  /** regions of the actor's schools and all their ancestors (to browse the alliances one may join) */
  homeRegionChain: Set<string>;
  /** partner organisations the actor acts for: the account's partner link, only while it holds a partner grant */
  partners: Set<string>;
}

/** The account facts an actor is resolved from (one session row joined to its user, and the grants). */
export type ActorBase = Pick<
  Actor,
  'userId' | 'username' | 'displayName' | 'schoolId' | 'regionId' | 'grants' | 'sessionId' | 'csrfToken' | 'mustChangePassword'
> & { partnerId: string | null };

/** What resolving needs from the organization directory (modules/org/directory.ts implements it). */
export interface OrgView {
  regionsUnder(roots: Iterable<string>): Set<string>;
  regionsAbove(ids: Iterable<string>): Set<string>;
  alliancesOfSchools(schoolIds: Iterable<string>): Set<string>;
  school(id: string): { regionId: string } | undefined;
}

/** Whether the actor holds a route permission through any of its grants. */
export function holds(actor: Pick<Actor, 'grants'>, permission: Permission): boolean {
  return anyRoleHolds(
    actor.grants.map((g) => g.role),
    permission,
  );
}

/** Everything about the actor's reach, from its grants and the directory: no database statement. */
export function resolveActor(base: ActorBase, org: OrgView): Actor {
  const g = base.grants;
  const ids = (pred: (x: Grant) => boolean) => g.filter((x) => pred(x) && x.scopeId).map((x) => x.scopeId!);
  const bureauRoots = ids((x) => x.role === 'bureau_admin');
  const readRoots = ids((x) => x.role === 'bureau_admin' || x.role === 'evaluator');
  const schools = new Set(ids((x) => x.scopeType === 'school'));
  const adminSchools = new Set(ids((x) => x.role === 'school_admin'));
  const memberAlliances = new Set(ids((x) => x.scopeType === 'alliance'));
  for (const a of org.alliancesOfSchools(schools)) memberAlliances.add(a);
  const homeRegions = new Set<string>();
  for (const s of schools) {
    const ref = org.school(s);
    if (ref) homeRegions.add(ref.regionId);
  }
  const { partnerId, ...rest } = base;
  return {
    ...rest,
    isPlatformAdmin: g.some((x) => x.role === 'platform_admin'),
    bureauRegions: org.regionsUnder(bureauRoots),
    readRegions: org.regionsUnder(readRoots),
    adminAlliances: new Set(ids((x) => x.role === 'alliance_admin')),
    memberAlliances,
    schools,
    adminSchools,
    homeRegionChain: org.regionsAbove(homeRegions),
    partners: new Set(partnerId && g.some((x) => x.role === 'partner' && x.scopeId) ? [partnerId] : []),
  };
}

/** The installation acting for itself: the CLI, scheduled jobs, the seeder. Holds every permission. */
export function systemActor(name = 'cli'): Actor {
  return {
    userId: 'system',
    username: name,
    displayName: name,
    schoolId: null,
    regionId: null,
    grants: [{ id: 'system', role: 'platform_admin', scopeType: 'installation', scopeId: null, subject: null }],
    sessionId: '',
    csrfToken: '',
    mustChangePassword: false,
    system: true,
    isPlatformAdmin: true,
    bureauRegions: new Set(),
    readRegions: new Set(),
    adminAlliances: new Set(),
    memberAlliances: new Set(),
    schools: new Set(),
    adminSchools: new Set(),
    homeRegionChain: new Set(),
    partners: new Set(),
  };
}
