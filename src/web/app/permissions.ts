import { anyRoleHolds, type Permission, roleHolds } from '../../common/permissions';
import type { Role } from '../../common/vocab';
import type { Me } from '../types';

export interface ScopeRef {
  regionId?: string | null;
  allianceId?: string | null;
  schoolId?: string | null;
}

type MeLike = Me | null | undefined;
type GrantOf = Me['grants'][number];

/** Whether a grant covers the object (region grants are taken to cover everything below the region). */
function covers(g: GrantOf, scope?: ScopeRef): boolean {
  if (!scope) return true;
  switch (g.scopeType) {
    case 'installation':
    case 'region':
      return true;
    case 'alliance':
      return scope.allianceId != null && scope.allianceId === g.scopeId;
    case 'school':
      return scope.schoolId != null && scope.schoolId === g.scopeId;
    default:
      return false;
  }
}

/**
 * Whether `me` holds `permission` (the role table in src/common/permissions.ts), optionally for the given
 * object. Only a hint for showing menus and buttons: the server is the judge.
 */
export function may(me: MeLike, permission: Permission, scope?: ScopeRef): boolean {
  if (!me) return false;
  if (!scope) return anyRoleHolds(rolesOf(me), permission);
  return me.grants.some((g) => roleHolds(g.role, permission) && covers(g, scope));
}

/**
 * Whether `me` holds one of `roles` for the given object — for the few checks that are about a role, not a
 * permission (e.g. which roles a bureau may grant). Prefer `may(me, permission)`.
 */
export function hasRole(me: MeLike, roles: Role[], scope?: ScopeRef): boolean {
  if (!me) return false;
  return me.grants.some((g) => roles.includes(g.role) && covers(g, scope));
}

/** The roles `me` holds (anywhere). */
export const rolesOf = (me: MeLike): Role[] => (me?.grants ?? []).map((g) => g.role);

export const isPlatformAdmin = (me: MeLike) => !!me?.grants.some((g) => g.role === 'platform_admin');

/**
 * The permission each menu entry (and its page) needs: the same names the server's routes ask for, so the
 * menu follows the one role table. Utilization: the server's routes ask `facility.read` and narrow by
 * record to staff; the menu shows the report to those who read the alliance's reports (`credit.read`).
 */
export const MENU_PERMISSIONS = {
  overview: 'region.overview',
  schools: 'school.read',
  alliances: 'alliance.read',
  applications: 'application.read',
  regions: 'region.manage',
  imports: 'import.run',
  users: 'user.read',
  audit: 'audit.read',
  account: 'signed_in',
  // ---- facilities, bookings, credits (S3) ----
  facilities: 'facility.read',
  bookings: 'booking.create',
  inbox: 'booking.decide',
  credits: 'credit.read',
  utilization: 'credit.read',
  // ---- resources (S2) ----
  resources: 'resource.read',
  myResources: 'resource.write',
  reviewQueue: 'resource.review',
  catalogue: 'resource.read',
} as const satisfies Record<string, Permission>;
export type MenuKey = keyof typeof MENU_PERMISSIONS;

/** Whether `me` sees a menu entry (and may open its page). */
export function canSee(me: MeLike, key: MenuKey): boolean {
  return !!me && anyRoleHolds(rolesOf(me), MENU_PERMISSIONS[key]);
}

/** The landing page of a user. */
export function homePath(me: MeLike): string {
  if (canSee(me, 'overview')) return '/overview';
  // school staff land on their own school (profile, indicators, the alliances it belongs to)
  if (canSee(me, 'schools') && me?.user.schoolId && me.grants.some((g) => g.scopeType === 'school' && g.scopeId === me.user.schoolId)) {
    return `/schools/${me.user.schoolId}`;
  }
  return '/alliances';
}

/** Ids of the scopes where `me` holds `role`. */
export function scopeIds(me: MeLike, role: Role): string[] {
  return (me?.grants ?? []).filter((g) => g.role === role && g.scopeId).map((g) => g.scopeId as string);
}
