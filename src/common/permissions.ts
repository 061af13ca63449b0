/**
 * Who may do what: the route permissions and which roles hold them (SPEC S0, S8; ARCHITECTURE rule 11).
 *
 * The one table of the installation. The server refuses a request whose actor holds none of the roles a
 * route's permission needs (before any handler runs); record-level rules (which school, which alliance)
 * are in each module's `policy.ts`. The web app reads the same table to decide which menu entries and
 * buttons to show (a hint only: the server is the judge).
 */
import type { Role } from './vocab.js';

export const PERMISSIONS = [
  'public', // no sign-in
  'signed_in', // any signed-in user
  'region.overview',
  'region.manage', // create, rename, re-code and delete regions (first run); bureau: only below its own region
  'school.read',
  'school.create',
  'school.update',
  'alliance.read',
  'alliance.create',
  'alliance.manage',
  'partner.read',
  'partner.write',
  'application.read',
  'application.create',
  'application.decide',
  'user.read',
  'user.write',
  'import.run',
  'audit.read',
  // facilities, bookings, credits (SPEC S3)
  'facility.read', // browse facilities, equipment, calendars (record rules per alliance/school)
  'facility.manage', // inventory, open hours, closures, equipment of one's own school / venue / mobile kits
  'booking.create', // book a facility or borrow equipment
  'booking.decide', // the owner's approval inbox, check-in, no-show
  'credit.read', // ledgers, balances, statements
  'credit.manage', // the alliance's credit rules, grants, adjustments
  // course resources (SPEC S2)
  'resource.read',
  'resource.write', // upload and edit one's own resources
  'resource.review', // the review queue (reviewers of a subject)
  'resource.manage', // archive others' resources, remove comments, catalogues
  'resource.feedback', // rate and comment: the teaching roles (SPEC S2 "use" is a teacher's)
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** Which roles hold each route permission (scope is checked afterwards, per record, by the module's policy). */
export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  platform_admin: PERMISSIONS,
  bureau_admin: [
    'region.manage',
    'region.overview',
    'school.read',
    'school.create',
    'school.update',
    'alliance.read',
    'alliance.create',
    'alliance.manage',
    'partner.read',
    'partner.write',
    'application.read',
    'application.decide',
    'user.read',
    'user.write',
    'import.run',
    'audit.read',
    'facility.read',
    'facility.manage',
    'credit.read',
    'credit.manage',
    'resource.read',
    'resource.manage',
  ],
  evaluator: ['region.overview', 'school.read', 'alliance.read', 'partner.read', 'application.read', 'facility.read', 'credit.read', 'resource.read'],
  alliance_admin: [
    'school.read',
    'alliance.read',
    'alliance.manage',
    'partner.read',
    'partner.write',
    'application.read',
    'application.decide',
    'facility.read',
    'facility.manage',
    'credit.read',
    'credit.manage',
    'resource.read',
    'resource.manage',
    'resource.feedback',
  ],
  school_admin: [
    'school.read',
    'school.update',
    'alliance.read',
    'partner.read',
    'application.read',
    'application.create',
    'user.read',
    'user.write',
    'import.run',
    'facility.read',
    'facility.manage',
    'booking.create',
    'booking.decide',
    'credit.read',
    'resource.read',
    'resource.write',
    'resource.manage',
    'resource.feedback',
  ],
  teacher: ['school.read', 'alliance.read', 'partner.read', 'facility.read', 'booking.create', 'resource.read', 'resource.write', 'resource.feedback'],
  reviewer: [
    'school.read',
    'alliance.read',
    'partner.read',
    'facility.read',
    'booking.create',
    'resource.read',
    'resource.write',
    'resource.review',
    'resource.feedback',
  ],
  student: ['school.read', 'alliance.read', 'facility.read', 'resource.read'],
  guardian: ['school.read', 'alliance.read', 'facility.read', 'booking.create', 'resource.read'],
  partner: ['school.read', 'alliance.read', 'partner.read', 'facility.read', 'facility.manage', 'booking.decide', 'resource.read'],
};

/** Whether a role holds a permission. */
export function roleHolds(role: Role, permission: Permission): boolean {
  return permission === 'public' || permission === 'signed_in' || ROLE_PERMISSIONS[role].includes(permission);
}

/** Whether any of the roles holds the permission. */
export function anyRoleHolds(roles: Iterable<Role>, permission: Permission): boolean {
  for (const r of roles) if (roleHolds(r, permission)) return true;
  return permission === 'public' || permission === 'signed_in';
}

/** The roles that hold a permission (for the web menu and for "who may do this?" answers). */
export function rolesHolding(permission: Permission): Role[] {
  return (Object.keys(ROLE_PERMISSIONS) as Role[]).filter((r) => roleHolds(r, permission));
}
