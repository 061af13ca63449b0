import { z } from 'zod';
import { APPLICATION_STATUS } from '../../../../common/vocab.js';
import { Id, Page, Para } from '../schools/schema.js';

export const ApplicationQuery = z.strictObject({
  status: z.enum(APPLICATION_STATUS.codes).optional(),
  allianceId: Id.optional(),
  schoolId: Id.optional(),
  ...Page,
});
export const ApplicationCreate = z.strictObject({ allianceId: Id, schoolId: Id, reason: Para(1000).min(5) });
export const DecisionBody = z.strictObject({ decision: z.enum(['pass', 'fail']), comment: Para(1000).nullable().optional() });
export const ExitBody = z.strictObject({ reason: Para(1000).min(5) });

export const ApplicationOut = z.object({
  id: z.string(),
  allianceId: z.string(),
  allianceName: z.string(),
  schoolId: z.string(),
  schoolName: z.string(),
  status: z.enum(APPLICATION_STATUS.codes),
  reason: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  decisions: z.array(z.object({ step: z.string(), decision: z.string(), comment: z.string().nullable(), actorName: z.string().nullable(), at: z.string() })),
});
export const MemberOut = z.object({
  id: z.string(),
  schoolId: z.string(),
  schoolName: z.string(),
  role: z.string(),
  status: z.string(),
  joinedOn: z.string(),
  exitedOn: z.string().nullable(),
  exitReason: z.string().nullable(),
});
