import type { Role } from '../../common/vocab';
import type { Me } from '../types';

export interface ScopeRef {
  regionId?: string | null;
  allianceId?: string | null;
  schoolId?: string | null;
}

/**
 * Whether `me` holds one of `roles` for the given object. Only a hint for showing buttons:
 * region grants are taken to cover everything below the region (the server is the real judge).
 */
export function hasRole(me: Me | null | undefined, roles: Role[], scope?: ScopeRef): boolean {
  if (!me) return false;
  return me.grants.some((g) => {
    if (!roles.includes(g.role)) return false;
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
  });
}

export const isPlatformAdmin = (me: Me | null | undefined) => !!me?.grants.some((g) => g.role === 'platform_admin');

/** Roles that hold the server's `resource.feedback` permission (rate and comment on resources). */
export const FEEDBACK_ROLES: Role[] = ['platform_admin', 'alliance_admin', 'school_admin', 'teacher', 'reviewer'];

/** Who sees which menu entry. */
export const MENU_ROLES: Record<string, Role[] | 'all'> = {
  overview: ['platform_admin', 'bureau_admin', 'evaluator'],
  schools: ['platform_admin', 'bureau_admin', 'alliance_admin', 'school_admin', 'teacher', 'reviewer', 'evaluator', 'partner'],
  alliances: 'all',
  applications: ['platform_admin', 'bureau_admin', 'alliance_admin', 'school_admin'],
  regions: ['platform_admin', 'bureau_admin'],
  imports: ['platform_admin', 'bureau_admin', 'school_admin'],
  users: ['platform_admin', 'bureau_admin', 'school_admin'],
  audit: ['platform_admin', 'bureau_admin'],
  account: 'all',
  // ---- facilities, bookings, credits (S3) ----
  facilities: 'all',
  bookings: ['platform_admin', 'school_admin', 'teacher', 'reviewer', 'guardian'],
  inbox: ['platform_admin', 'school_admin', 'partner'],
  credits: ['platform_admin', 'bureau_admin', 'evaluator', 'alliance_admin', 'school_admin'],
  utilization: ['platform_admin', 'bureau_admin', 'evaluator', 'alliance_admin', 'school_admin'],
  // ---- resources (S2) ----
  resources: 'all',
  myResources: ['platform_admin', 'school_admin', 'teacher', 'reviewer'],
  reviewQueue: ['platform_admin', 'reviewer'],
  catalogue: ['platform_admin', 'bureau_admin', 'evaluator', 'alliance_admin', 'school_admin', 'teacher', 'reviewer'],
};

export function canSee(me: Me | null | undefined, key: string): boolean {
  const roles = MENU_ROLES[key];
  if (!roles) return false;
  if (roles === 'all') return true;
  return hasRole(me, roles);
}

/** The landing page of a user. */
export function homePath(me: Me | null | undefined): string {
  if (canSee(me, 'overview')) return '/overview';
  // school staff land on their own school (profile, indicators, the alliances it belongs to)
  if (canSee(me, 'schools') && me?.user.schoolId && me.grants.some((g) => g.scopeType === 'school' && g.scopeId === me.user.schoolId)) {
    return `/schools/${me.user.schoolId}`;
  }
  return '/alliances';
}

/** Ids of the scopes where `me` holds `role`. */
export function scopeIds(me: Me | null | undefined, role: Role): string[] {
  return (me?.grants ?? []).filter((g) => g.role === role && g.scopeId).map((g) => g.scopeId!);
}
