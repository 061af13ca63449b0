/**
 * The audit trail the demo region would have if its history had happened in the app: alliances founded,
 * governance bodies set up, charters and agreements uploaded, membership decisions. It fills the
 * alliance timelines and the audit log page on first start. Same action names and details as the
 * services write.
 */
import type { AuditLogTable } from '../db/schema.js';
import type { DemoData } from './demo-data.js';

type Row = Omit<AuditLogTable, 'id'>;

export function demoAudit(data: DemoData): Row[] {
  const rows: Row[] = [];
  const userName = new Map(data.users.map((u) => [u.id, u.display_name]));
  const schoolName = new Map(data.schools.map((s) => [s.id, s.name]));
  const alliance = new Map(data.alliances.map((a) => [a.id, a]));
  const entry = (r: Partial<Row> & Pick<Row, 'at' | 'action' | 'entity_type'>): Row => ({
    actor_id: null,
    actor_name: null,
    ip: null,
    request_id: null,
    entity_id: null,
    region_id: null,
    alliance_id: null,
    school_id: null,
    detail: '{}',
    ...r,
  });

  for (const a of data.alliances) {
    rows.push(
      entry({
        at: a.created_at,
        action: 'alliance.create',
        entity_type: 'alliance',
        entity_id: a.id,
        region_id: a.region_id,
        alliance_id: a.id,
        detail: JSON.stringify({ name: a.name, kind: a.kind, pattern: a.pattern }),
      }),
    );
  }
  for (const b of data.bodies) {
    const a = alliance.get(b.alliance_id)!;
    rows.push(
      entry({
        at: b.created_at,
        action: 'governance.body_create',
        entity_type: 'body',
        entity_id: b.id,
        region_id: a.region_id,
        alliance_id: a.id,
        detail: JSON.stringify({ kind: b.kind, name: b.name }),
      }),
    );
  }
  const docs = new Map(data.documents.map((d) => [d.id, d]));
  for (const v of data.versions) {
    const d = docs.get(v.document_id)!;
    const a = alliance.get(d.alliance_id)!;
    rows.push(
      entry({
        at: v.created_at,
        action: v.version === 1 ? 'document.create' : 'document.version',
        entity_type: 'document',
        entity_id: d.id,
        region_id: a.region_id,
        alliance_id: a.id,
        actor_id: v.created_by,
        actor_name: v.created_by ? (userName.get(v.created_by) ?? null) : null,
        detail: JSON.stringify({ title: d.title, version: v.version }),
      }),
    );
  }
  const apps = new Map(data.applications.map((p) => [p.id, p]));
  for (const d of data.decisions) {
    const p = apps.get(d.application_id)!;
    const a = alliance.get(p.alliance_id)!;
    rows.push(
      entry({
        at: d.at,
        action: `application.${d.step}`,
        entity_type: 'application',
        entity_id: p.id,
        region_id: a.region_id,
        alliance_id: a.id,
        school_id: p.school_id,
        actor_id: d.actor_id,
        actor_name: d.actor_name,
        detail: JSON.stringify({ school: schoolName.get(p.school_id), step: d.step, decision: d.decision, comment: d.comment }),
      }),
    );
  }
  return rows.sort((x, y) => (x.at < y.at ? -1 : x.at > y.at ? 1 : 0));
}
