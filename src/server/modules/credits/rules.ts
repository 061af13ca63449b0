/** The alliance's credit rules: stored as JSON, read with the defaults filled in. */
import type { Db, Tx } from '../../db/index.js';
import { fromJson } from '../../db/index.js';
import { withDefaults, type CreditRules } from '../../../common/pricing.js';

export interface StoredRules {
  rules: CreditRules;
  custom: boolean;
  updatedAt: string | null;
  updatedBy: string | null;
}

export async function loadRules(db: Db | Tx, allianceId: string): Promise<StoredRules> {
  const row = await db.selectFrom('credit_rules').select(['rules', 'updated_at', 'updated_by']).where('alliance_id', '=', allianceId).executeTakeFirst();
  if (!row) return { rules: withDefaults(null), custom: false, updatedAt: null, updatedBy: null };
  return { rules: withDefaults(fromJson<Partial<CreditRules>>(row.rules, {})), custom: true, updatedAt: row.updated_at, updatedBy: row.updated_by };
}
