import type { Db, Tx } from '../db/index.js';
import { nowIso, toJson } from '../db/index.js';
import type { Ctx } from './context.js';

/** Where an action without a signed-in actor came from (sign-in itself): the entry names its actor. */
export interface AnonymousSource {
  actor?: undefined;
  ip: string | null;
  requestId: string;
}

/** Who acted and from where: a service context, or the address and request of a sign-in. */
export type AuditSource = Ctx | AnonymousSource | null;

function source(src: AuditSource): { actorId: string | null; actorName: string | null; ip: string | null; requestId: string | null; at: string } {
  if (!src) return { actorId: null, actorName: null, ip: null, requestId: null, at: nowIso() };
  if (!src.actor) return { actorId: null, actorName: null, ip: src.ip, requestId: src.requestId, at: nowIso() };
  const a = src.actor;
  return { actorId: a.system ? null : a.userId, actorName: a.displayName, ip: src.ip ?? null, requestId: src.requestId ?? null, at: nowIso() };
}

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
export async function audit(tx: Db | Tx, src: AuditSource, e: AuditEntry): Promise<void> {
  const s = source(src);
  await tx
    .insertInto('audit_log')
    .values({
      at: s.at,
      actor_id: e.actor?.id ?? s.actorId,
      actor_name: e.actor?.name ?? s.actorName,
      ip: s.ip,
      request_id: s.requestId,
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

/** Several audit rows of one change in ONE statement (the booking hot path: the booking and its charge). */
export async function auditAll(tx: Db | Tx, src: AuditSource, entries: AuditEntry[]): Promise<void> {
  if (!entries.length) return;
  const s = source(src);
  await tx
    .insertInto('audit_log')
    .values(
      entries.map((e) => ({
        at: s.at,
        actor_id: e.actor?.id ?? s.actorId,
        actor_name: e.actor?.name ?? s.actorName,
        ip: s.ip,
        request_id: s.requestId,
        action: e.action,
        entity_type: e.entityType,
        entity_id: e.entityId ?? null,
        region_id: e.regionId ?? null,
        alliance_id: e.allianceId ?? null,
        school_id: e.schoolId ?? null,
        detail: toJson(e.detail ?? {}),
      })),
    )
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
