import { z } from 'zod';
import { Id, Line } from '../../../platform/input.js';
import { REGION_LEVELS } from './codes.js';

/** Six digits; whether they form a GB/T 2260 code of the right level is checked with the parent (codes.ts). */
export const RegionCode = z
  .string()
  .trim()
  .regex(/^\d{6}$/);
export const RegionName = Line(40).min(2);

export const RegionCreate = z.strictObject({
  code: RegionCode,
  name: RegionName,
  /** the parent region; absent or null for a province */
  parentId: Id.nullable().optional(),
});
export const RegionUpdate = z.strictObject({
  code: RegionCode.optional(),
  name: RegionName.optional(),
});

export const RegionOut = z.object({
  id: z.string(),
  parentId: z.string().nullable(),
  level: z.enum(REGION_LEVELS),
  code: z.string(),
  name: z.string(),
  schoolCount: z.number(),
  allianceCount: z.number(),
});
