/**
 * Shared helpers of the server's integration tests (beside testing.ts): multipart bodies, problem+json
 * checks, and a second, foreign region that no demo account except the platform admin reaches.
 */
import { expect } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import type { Database } from './db/index.js';
import type { Storage } from './platform/storage.js';

export interface Part {
  name: string;
  value: string | Buffer;
  /** makes the part a file */
  filename?: string;
  contentType?: string;
}

/** A multipart/form-data body, parts in the given order. */
export function multipart(parts: Part[]) {
  const boundary = `----xltest${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const disp = p.filename !== undefined ? `form-data; name="${p.name}"; filename="${p.filename}"` : `form-data; name="${p.name}"`;
    const type = p.filename !== undefined ? `\r\nContent-Type: ${p.contentType ?? 'application/octet-stream'}` : '';
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disp}${type}\r\n\r\n`));
    chunks.push(Buffer.isBuffer(p.value) ? p.value : Buffer.from(p.value, 'utf8'));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

/** Asserts a problem+json answer with the status, the code and (optionally) the named fields. */
export function expectProblem(res: LightMyRequestResponse, status: number, code: string, fields?: string[]) {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = JSON.parse(res.body);
  expect(body.code).toBe(code);
  expect(body.status).toBe(status);
  expect(typeof body.detail).toBe('string');
  if (fields) {
    const named = (body.errors ?? []).map((e: { field: string }) => e.field);
    for (const f of fields) expect(named, `field ${f} in ${res.body}`).toContain(f);
  }
  return body as { code: string; detail: string; errors?: { field: string; code: string; message: string }[] };
}

/** Ids of the foreign region (another province) that `addForeignRegion` creates. */
export const FOREIGN = {
  province: 'r_x001',
  city: 'r_x002',
  school: 's_x0001',
  memberSchool: 's_x0002',
  applicantSchool: 's_x0003',
  alliance: 'a_x001',
  partner: 'p_x001',
  body: 'gb_x001',
  document: 'd_x001',
  milestone: 'ms_x001',
  application: 'ma_x001',
  user: 'u_x_teacher',
  grant: 'g_x0001',
  auditMarker: 'x-foreign-audit-marker',
} as const;

/**
 * Inserts 外省/外市 with three schools, one alliance (core + member, a partner, a council, a charter
 * with a stored file, a milestone), an open application, a teacher with a grant and one audit row.
 */
export async function addForeignRegion(database: Database, storage: Storage) {
  const db = database.db;
  const at = '2025-01-01T00:00:00.000Z';
  const f = FOREIGN;
  await db
    .insertInto('regions')
    .values([
      { id: f.province, parent_id: null, level: 'province', code: '880000', name: '外省', created_at: at },
      { id: f.city, parent_id: f.province, level: 'city', code: '880100', name: '外市', created_at: at },
    ])
    .execute();
  const school = (id: string, code: string, name: string) => ({
    id,
    region_id: f.city,
    code,
    credit_code: null,
    name,
    short_name: null,
    type: 'primary',
    ownership: 'public',
    location: 'urban',
    tags: '[]',
    address: null,
    lat: null,
    lng: null,
    principal: null,
    phone: null,
    founded_year: 2000,
    students: 500,
    teachers: 40,
    classes: 12,
    created_at: at,
    updated_at: at,
  });
  await db
    .insertInto('schools')
    .values([
      school(f.school, '8800000001', '外市第一小学'),
      school(f.memberSchool, '8800000002', '外市第二小学'),
      school(f.applicantSchool, '8800000003', '外市第三小学'),
    ])
    .execute();
  await db
    .insertInto('partners')
    .values({ id: f.partner, region_id: f.city, name: '外市科技馆', kind: 'museum', contact: null, phone: null, description: null, created_at: at })
    .execute();
  await db
    .insertInto('alliances')
    .values({
      id: f.alliance,
      region_id: f.city,
      name: '外市第一小学教育集团',
      kind: 'aggregation',
      pattern: 'partner',
      core_school_id: f.school,
      description: null,
      status: 'active',
      founded_on: '2024-09-01',
      cycle_start_on: '2024-09-01',
      last_assessed_on: null,
      created_at: at,
      updated_at: at,
    })
    .execute();
  await db
    .insertInto('alliance_members')
    .values([
      {
        id: 'm_x001',
        alliance_id: f.alliance,
        school_id: f.school,
        alliance_kind: 'aggregation',
        role: 'core',
        status: 'active',
        joined_on: '2024-09-01',
        exited_on: null,
        exit_reason: null,
        exit_by: null,
        created_at: at,
      },
      {
        id: 'm_x002',
        alliance_id: f.alliance,
        school_id: f.memberSchool,
        alliance_kind: 'aggregation',
        role: 'member',
        status: 'active',
        joined_on: '2024-09-01',
        exited_on: null,
        exit_reason: null,
        exit_by: null,
        created_at: at,
      },
    ])
    .execute();
  await db.insertInto('alliance_partners').values({ alliance_id: f.alliance, partner_id: f.partner, offers: null, joined_on: '2024-09-01' }).execute();
  await db
    .insertInto('governance_bodies')
    .values({ id: f.body, alliance_id: f.alliance, kind: 'council', name: '外市集团理事会', subject: null, host_school_id: null, created_at: at })
    .execute();
  const stored = await storage.put('documents/a_x001/charter.bin', Buffer.from('外市集团章程\n第一条 ……\n', 'utf8'));
  await db
    .insertInto('documents')
    .values({
      id: f.document,
      alliance_id: f.alliance,
      kind: 'charter',
      title: '外市集团章程',
      current_version: 1,
      created_by: null,
      created_at: at,
      updated_at: at,
    })
    .execute();
  await db
    .insertInto('document_versions')
    .values({
      id: 'dv_x001',
      document_id: f.document,
      version: 1,
      file_key: stored.key,
      file_name: '章程.txt',
      file_size: stored.size,
      mime: 'text/plain; charset=utf-8',
      sha256: stored.sha256,
      terms: '[]',
      effective_from: null,
      effective_to: null,
      note: null,
      created_by: null,
      created_at: at,
    })
    .execute();
  await db
    .insertInto('milestones')
    .values({ id: f.milestone, alliance_id: f.alliance, phase: 'preparation', title: '外市集团启动', due_on: '2025-01-01', done_on: null, created_at: at })
    .execute();
  await db
    .insertInto('membership_applications')
    .values({
      id: f.application,
      alliance_id: f.alliance,
      school_id: f.applicantSchool,
      status: 'submitted',
      reason: '希望加入外市集团',
      applied_by: null,
      created_at: at,
      updated_at: at,
    })
    .execute();
  await db
    .insertInto('users')
    .values({
      id: f.user,
      username: 'x_teacher',
      display_name: '外市教师',
      email: null,
      phone: null,
      password_hash: null,
      must_change_password: 0,
      password_changed_at: null,
      school_id: f.school,
      region_id: f.city,
      locale: 'zh-CN',
      status: 'active',
      failed_logins: 0,
      locked_until: null,
      oidc_subject: null,
      last_login_at: null,
      created_at: at,
      updated_at: at,
    })
    .execute();
  await db
    .insertInto('role_grants')
    .values({ id: f.grant, user_id: f.user, role: 'teacher', scope_type: 'school', scope_id: f.school, subject: null, granted_by: null, granted_at: at })
    .execute();
  await db
    .insertInto('audit_log')
    .values({
      at,
      actor_id: null,
      actor_name: null,
      ip: '10.0.0.9',
      request_id: null,
      action: 'school.update',
      entity_type: 'school',
      entity_id: f.auditMarker,
      region_id: f.city,
      alliance_id: null,
      school_id: f.school,
      detail: '{}',
    })
    .execute();
}
