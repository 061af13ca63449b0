import { z } from 'zod';
import { rangeCheck } from '../../platform/input.js';
import { DateStr, Id, Line } from '../org/schools/schema.js';

const Credits = z.number().int().min(0).max(1_000_000);
const Pct = z.number().int().min(0).max(100);
const HHMM = z.string().regex(/^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/);
export const RateSchema = z.strictObject({ offPeak: z.number().int().min(0).max(10_000), peak: z.number().int().min(0).max(10_000) });
const TypeCode = z.string().regex(/^[a-z][a-z0-9_]{0,39}$/);

export const CreditRulesSchema = z.strictObject({
  defaultRate: RateSchema,
  /** by facility type code; a PUT replaces the whole map */
  rates: z.record(TypeCode, RateSchema).refine((r) => Object.keys(r).length <= 50, { message: 'at most 50', params: { fieldCode: 'too_many_items', max: 50 } }),
  peakWindows: z
    .array(
      z
        .strictObject({ days: z.array(z.number().int().min(1).max(7)).min(1).max(7), from: HHMM, to: HHMM })
        .refine((w) => w.to > w.from, { message: '结束时间应晚于开始时间 / must end after it starts', path: ['to'] }),
    )
    .max(20),
  utcOffsetMinutes: z.number().int().min(-720).max(840),
  hostSharePct: Pct,
  startingGrant: Credits,
  weakExtraGrant: Credits,
  ruralExtraGrant: Credits,
  overdraftLimit: Credits,
  noShowPenalty: z.strictObject({ mode: z.enum(['percent', 'fixed']), value: z.number().int().min(0).max(100_000) }),
  refundTimelyPct: Pct,
  refundLatePct: Pct,
  resourceUseReward: Credits,
  resourceAuthorReward: Credits,
  teacherExchangeDayReward: Credits,
});

/** PUT body: any subset of the rules; the rest stays as it is. */
export const CreditRulesUpdate = CreditRulesSchema.partial();

export const CreditRulesOut = z.object({
  allianceId: z.string(),
  rules: CreditRulesSchema,
  /** false when the alliance has never set its rules (the defaults apply) */
  custom: z.boolean(),
  updatedAt: z.string().nullable(),
  updatedBy: z.string().nullable(),
});

export const GrantInput = z.discriminatedUnion('type', [
  /** the starting grant (with the weak/rural extra) to every active member, or one school; once per school */
  z.strictObject({ type: z.literal('starting'), schoolId: Id.optional() }),
  /** an extra grant of `amount` to every active member, or one school */
  z.strictObject({ type: z.literal('extra'), schoolId: Id.optional(), amount: z.number().int().min(1).max(1_000_000), reason: Line(200).min(2) }),
]);

export const GrantOut = z.object({
  granted: z.array(z.object({ schoolId: z.string(), schoolName: z.string(), amount: z.number().int(), transactionId: z.string() })),
  /** schools that had received their starting grant before */
  skipped: z.array(z.object({ schoolId: z.string(), schoolName: z.string() })),
  total: z.number().int(),
});

export const AdjustmentInput = z.strictObject({
  ownerType: z.enum(['school', 'partner', 'teacher']),
  ownerId: Id,
  amount: z
    .number()
    .int()
    .min(-1_000_000)
    .max(1_000_000)
    .refine((x) => x !== 0, '调整数额不能为 0 / must not be 0'),
  reason: Line(200).min(2),
});

export const AccountOut = z.object({
  id: z.string(),
  allianceId: z.string(),
  ownerType: z.string(),
  ownerId: z.string(),
  ownerName: z.string(),
  balance: z.number().int(),
  overdraftLimit: z.number().int().nullable(),
  tags: z.array(z.string()),
});
export const OverdraftInput = z.strictObject({ overdraftLimit: z.number().int().min(0).max(1_000_000).nullable() });
export const AccountList = z.object({ items: z.array(AccountOut), total: z.number().int() });

export const EntryOut = z.object({
  accountId: z.string(),
  ownerType: z.string(),
  ownerId: z.string(),
  ownerName: z.string(),
  amount: z.number().int(),
});

export const TransactionOut = z.object({
  id: z.string(),
  allianceId: z.string(),
  kind: z.string(),
  causeType: z.string(),
  causeId: z.string(),
  amount: z.number().int(),
  memo: z.string().nullable(),
  createdBy: z.string().nullable(),
  createdByName: z.string().nullable(),
  createdAt: z.string(),
  entries: z.array(EntryOut),
});

export const AdjustmentOut = TransactionOut;

export const StatementQuery = z
  .strictObject({
    allianceId: Id.optional(),
    schoolId: Id.optional(),
    /** alternatively an account id (pool, partner, teacher accounts: alliance readers only) */
    accountId: Id.optional(),
    /** dates in Asia/Shanghai, inclusive */
    from: DateStr.optional(),
    to: DateStr.optional(),
  })
  .superRefine(rangeCheck('from', 'to'));

export const StatementLine = z.object({
  transactionId: z.string(),
  at: z.string(),
  kind: z.string(),
  causeType: z.string(),
  causeId: z.string(),
  memo: z.string().nullable(),
  amount: z.number().int(),
  balance: z.number().int(),
  counterparts: z.array(z.object({ ownerType: z.string(), ownerId: z.string(), ownerName: z.string(), amount: z.number().int() })),
});

export const StatementOut = z.object({
  account: AccountOut,
  allianceName: z.string(),
  from: z.string().nullable(),
  to: z.string().nullable(),
  opening: z.number().int(),
  closing: z.number().int(),
  credits: z.number().int(),
  debits: z.number().int(),
  items: z.array(StatementLine),
  truncated: z.boolean(),
});
