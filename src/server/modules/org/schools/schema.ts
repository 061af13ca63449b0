import { z } from 'zod';
import { LOCATIONS, OWNERSHIP, SCHOOL_TAGS, SCHOOL_TYPES, ALLIANCE_KINDS } from '../../../../common/vocab.js';

import { DateStr, Id, Instant, Line, MonthStr, PageOf, Para } from '../../../platform/input.js';

export { DateStr, Id, Instant, Line, MonthStr, Para };
export const Page = PageOf();
export const paginated = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() });

/** 学校标识码: 10 digits; 统一社会信用代码: 18 characters of digits and capitals (no I, O, S, V, Z). */
export const SchoolCode = z.string().regex(/^\d{10}$/);
export const CreditCode = z.string().regex(/^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/);

export const SchoolFields = {
  regionId: Id,
  code: SchoolCode,
  creditCode: CreditCode.nullable().optional(),
  name: Line(60).min(2),
  shortName: Line(20).nullable().optional(),
  type: z.enum(SCHOOL_TYPES.codes),
  ownership: z.enum(OWNERSHIP.codes),
  location: z.enum(LOCATIONS.codes),
  tags: z.array(z.enum(SCHOOL_TAGS.codes)).max(6).default([]),
  address: Line(200).nullable().optional(),
  lat: z.number().min(-90).max(90).nullable().optional(),
  lng: z.number().min(-180).max(180).nullable().optional(),
  principal: Line(30).nullable().optional(),
  phone: z
    .string()
    .trim()
    .regex(/^[0-9+\- ]{5,20}$/)
    .nullable()
    .optional(),
  foundedYear: z.number().int().min(1800).max(2100).nullable().optional(),
  students: z.number().int().min(0).max(100_000).default(0),
  teachers: z.number().int().min(0).max(10_000).default(0),
  classes: z.number().int().min(0).max(2_000).default(0),
};
export const SchoolCreate = z.strictObject(SchoolFields);
export const SchoolUpdate = z.strictObject(
  Object.fromEntries(
    Object.entries(SchoolFields)
      .filter(([k]) => k !== 'regionId')
      .map(([k, v]) => [k, (v as z.ZodType).optional()]),
  ) as {
    [K in Exclude<keyof typeof SchoolFields, 'regionId'>]: z.ZodOptional<(typeof SchoolFields)[K]>;
  },
);

export const SchoolSummary = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  type: z.string(),
  ownership: z.string(),
  location: z.string(),
  tags: z.array(z.string()),
  regionId: z.string(),
  regionName: z.string(),
  students: z.number(),
  teachers: z.number(),
});

export const IndicatorInput = z.strictObject({
  students: z.number().int().min(0).max(100_000),
  teachers: z.number().int().min(0).max(10_000),
  teachersAboveDegree: z.number().int().min(0).max(10_000),
  keyTeachers: z.number().int().min(0).max(10_000),
  peArtTeachers: z.number().int().min(0).max(10_000),
  teachingAreaM2: z.number().min(0).max(10_000_000),
  sportsAreaM2: z.number().min(0).max(10_000_000),
  equipmentValueYuan: z.number().min(0).max(10_000_000_000),
  multimediaRooms: z.number().int().min(0).max(10_000),
  books: z.number().int().min(0).max(100_000_000).default(0),
});
export const IndicatorOut = IndicatorInput.extend({
  year: z.number().int(),
  computed: z.record(z.string(), z.number().nullable()),
  updatedAt: z.string(),
});

export const SchoolDetail = SchoolSummary.extend({
  creditCode: z.string().nullable(),
  shortName: z.string().nullable(),
  address: z.string().nullable(),
  lat: z.number().nullable(),
  lng: z.number().nullable(),
  principal: z.string().nullable(),
  phone: z.string().nullable(),
  foundedYear: z.number().nullable(),
  classes: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
  alliances: z.array(z.object({ id: z.string(), name: z.string(), kind: z.enum(ALLIANCE_KINDS.codes), role: z.string() })),
  indicators: z.array(IndicatorOut),
});

export const SchoolQuery = z.strictObject({
  regionId: Id.optional(),
  q: Line(60).optional(),
  type: z.enum(SCHOOL_TYPES.codes).optional(),
  location: z.enum(LOCATIONS.codes).optional(),
  tag: z.enum(SCHOOL_TAGS.codes).optional(),
  allianceId: Id.optional(),
  ...Page,
});
