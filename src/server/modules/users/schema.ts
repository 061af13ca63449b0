/**
 * Request shapes of the users API, built on the strict input primitives (ARCHITECTURE rule 14): names are
 * single-line text without control or bidi characters. The routes validate with these.
 */
import { z } from 'zod';
import { ROLES } from '../../../common/vocab.js';
import { Id, Line, Page } from '../org/schools/schema.js';

export const Username = z
  .string()
  .trim()
  .regex(/^[a-zA-Z0-9_.-]{3,40}$/);
export const DisplayName = Line(30).min(2);
export const Email = z.email().max(120);
export const Mobile = z.string().regex(/^1\d{10}$/);

export const UserQuery = z.strictObject({ q: Line(40).optional(), schoolId: Id.optional(), role: z.enum(ROLES.codes).optional(), ...Page });
export const UserCreate = z.strictObject({
  username: Username,
  displayName: DisplayName,
  schoolId: Id.nullable().optional(),
  regionId: Id.nullable().optional(),
  /** partner accounts: the partner organisation the account acts for (its region becomes the account's) */
  partnerId: Id.nullable().optional(),
  email: Email.nullable().optional(),
  phone: Mobile.nullable().optional(),
});
export const UserUpdate = z.strictObject({ displayName: DisplayName.optional(), status: z.enum(['active', 'disabled']).optional() });
export const GrantCreate = z.strictObject({
  role: z.enum(ROLES.codes),
  scopeType: z.enum(['installation', 'region', 'alliance', 'school']),
  scopeId: Id.nullable().optional(),
  subject: Line(30).nullable().optional(),
});
