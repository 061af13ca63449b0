/**
 * The one writer of `alliance_members` (ARCHITECTURE rule 10): an alliance's founding core school, a school
 * admitted by the bureau, a member's exit, a change of core school or of the alliance's kind. Alliances and
 * memberships call these inside their own transactions; nothing else writes the table.
 *
 * The database keeps two rules itself: a school is an active member of an alliance at most once, and of at
 * most one active 融合型 alliance (a unique index over `alliance_kind`, which is why the kind is copied).
 * After the caller's transaction commits it must call `directoryOf(database).invalidate()`.
 */
import type { Tx } from '../../../db/index.js';
import { transition } from '../../../db/transition.js';
import { badRequest, conflict, notFound } from '../../../platform/errors.js';
import { newId } from '../../../platform/ids.js';

/** A school joins an alliance as its core school (founding) or as a member (admitted). */
export async function addMember(
  tx: Tx,
  m: { allianceId: string; schoolId: string; allianceKind: string; role: 'core' | 'member'; joinedOn: string; now: string },
): Promise<string> {
  if (m.allianceKind === 'fusion' && m.role === 'member') await assertNoOtherFusion(tx, m.schoolId, m.allianceId);
  const id = newId();
  await tx
    .insertInto('alliance_members')
    .values({
      id,
      alliance_id: m.allianceId,
      school_id: m.schoolId,
      alliance_kind: m.allianceKind,
      role: m.role,
      status: 'active',
      joined_on: m.joinedOn,
      exited_on: null,
      exit_reason: null,
      exit_by: null,
      created_at: m.now,
    })
    .execute();
  return id;
}

/** 409 when the school is already an active member of another 融合型 alliance. */
export async function assertNoOtherFusion(tx: Tx, schoolId: string, allianceId: string): Promise<void> {
  const other = await tx
    .selectFrom('alliance_members')
    .select('alliance_id')
    .where('school_id', '=', schoolId)
    .where('status', '=', 'active')
    .where('alliance_kind', '=', 'fusion')
    .where('alliance_id', '!=', allianceId)
    .executeTakeFirst();
  if (other)
    throw conflict('该校已属于一个融合型教育集团，不能再加入另一个', [
      { field: 'schoolId', code: 'invalid', params: { reason: '一所学校最多属于一个融合型集团' } },
    ]);
}

/** The active membership of a school in an alliance (read inside the write transaction), or undefined. */
export async function activeMembership(tx: Tx, allianceId: string, schoolId: string) {
  return tx
    .selectFrom('alliance_members')
    .select(['id', 'role', 'joined_on'])
    .where('alliance_id', '=', allianceId)
    .where('school_id', '=', schoolId)
    .where('status', '=', 'active')
    .executeTakeFirst();
}

/** A member leaves, with a reason; the core school cannot (change the core school first). Compare-and-set on the active row. */
export async function exitMember(tx: Tx, m: { allianceId: string; schoolId: string; reason: string; by: string | null; on: string }) {
  const row = await activeMembership(tx, m.allianceId, m.schoolId);
  if (!row) throw notFound('member');
  if (row.role === 'core') throw conflict('核心校不能退出；请先更换核心校', [{ field: 'schoolId', code: 'invalid', params: { reason: '核心校' } }]);
  await transition(tx, 'alliance_members', row.id, 'active', { status: 'exited', exited_on: m.on, exit_reason: m.reason, exit_by: m.by }, () =>
    notFound('member'),
  );
  return row;
}

/** Another active member becomes the core school (the former core stays a member). */
export async function changeCore(tx: Tx, allianceId: string, schoolId: string): Promise<void> {
  const m = await activeMembership(tx, allianceId, schoolId);
  if (!m) throw badRequest([{ field: 'coreSchoolId', code: 'invalid', params: { reason: '核心校必须是联盟的现有成员' } }]);
  await tx
    .updateTable('alliance_members')
    .set({ role: 'member' })
    .where('alliance_id', '=', allianceId)
    .where('role', '=', 'core')
    .where('status', '=', 'active')
    .execute();
  await tx.updateTable('alliance_members').set({ role: 'core' }).where('id', '=', m.id).execute();
}

/** The alliance's kind changed: its memberships carry the new one (the 融合型 index relies on it). */
export async function changeKind(tx: Tx, allianceId: string, kind: string): Promise<void> {
  await tx.updateTable('alliance_members').set({ alliance_kind: kind }).where('alliance_id', '=', allianceId).execute();
}
