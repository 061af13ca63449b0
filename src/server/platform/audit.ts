import type { FastifyRequest } from 'fastify';
import type { Db, Tx } from '../db/index.js';
import { nowIso, toJson } from '../db/index.js';

export interface AuditEntry {
  action: string; // e.g. school.update, application.approve, user.grant, auth.login
  entityType: string;
  entityId?: string | null;
  regionId?: string | null;
  allianceId?: string | null;
  schoolId?: string | null;
  detail?: Record<string, unknown>;
  /** who acted, when the request carries no session yet (sign-in) */
  actor?: { id: string; name: string };
}

/**
 * Writes one audit row: who, what, when, from where. Call it inside the same transaction as the change
 * so the log and the change commit together.
 */
export async function audit(tx: Db | Tx, req: FastifyRequest | null, e: AuditEntry): Promise<void> {
  await tx
    .insertInto('audit_log')
    .values({
      at: nowIso(),
      actor_id: e.actor?.id ?? req?.actor?.userId ?? null,
      actor_name: e.actor?.name ?? req?.actor?.displayName ?? null,
      ip: req?.ip ?? null,
      request_id: req ? String(req.id) : null,
      action: e.action,
      entity_type: e.entityType,
      entity_id: e.entityId ?? null,
      region_id: e.regionId ?? null,
      alliance_id: e.allianceId ?? null,
      school_id: e.schoolId ?? null,
      detail: toJson(e.detail ?? {}),
    })
    .execute();
}

/** The fields that differ between two versions of a record (for audit details). */
export function changes<T extends Record<string, unknown>>(before: T, after: Partial<T>): Record<string, { from: unknown; to: unknown }> {
  const out: Record<string, { from: unknown; to: unknown }> = {};
  for (const [k, v] of Object.entries(after)) {
    if (v !== undefined && JSON.stringify(before[k]) !== JSON.stringify(v)) out[k] = { from: before[k], to: v };
  }
  return out;
}
