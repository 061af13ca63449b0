import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createDatabase, ensureSchema, type Database } from '../db/index.js';
import { migrate } from '../db/migrate.js';
import { LocalStorage } from '../platform/storage.js';
import { verifyPassword } from '../platform/passwords.js';
import { ALLIANCE_KINDS, ALLIANCE_PATTERNS, APPLICATION_STATUS, LOCATIONS, PARTNER_KINDS, ROLES, SCHOOL_TYPES, TERM_KINDS } from '../../common/vocab.js';
import { DEMO_ACCOUNTS, seedDemo, seedProvince } from './index.js';

const PASSWORD = 'Xiaolian@2026';
const pgUrl = process.env.DATABASE_URL;
const opened: { database: Database; schema?: string; dir: string }[] = [];

async function freshDatabase(): Promise<{ database: Database; storage: LocalStorage; dir: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xl-seed-'));
  const schema = pgUrl ? `seed_test_${crypto.randomBytes(5).toString('hex')}` : undefined;
  const database = createDatabase({ databaseUrl: pgUrl, databaseSchema: schema, sqlitePath: ':memory:' });
  await ensureSchema(database, schema);
  await migrate(database);
  opened.push({ database, schema, dir });
  return { database, storage: new LocalStorage(path.join(dir, 'files')), dir };
}

afterAll(async () => {
  for (const { database, schema, dir } of opened) {
    if (schema) await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(database.db);
    await database.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

describe('seedDemo', async () => {
  const { database, storage, dir } = await freshDatabase();
  const summary = await seedDemo(database, storage, { password: PASSWORD });
  const { db } = database;
  console.log(`demo seed (${database.dialect}): ${summary.ms} ms`, summary);

  it('seeds a realistic region with every school type and location', async () => {
    expect(summary.skipped).toBeUndefined();
    const schools = await db.selectFrom('schools').selectAll().execute();
    expect(schools.length).toBeGreaterThanOrEqual(60);
    expect(new Set(schools.map((s) => s.type))).toEqual(new Set(SCHOOL_TYPES.codes));
    expect(new Set(schools.map((s) => s.location))).toEqual(new Set(LOCATIONS.codes));
    expect(new Set(schools.map((s) => s.ownership))).toEqual(new Set(['public', 'private']));
    for (const s of schools) {
      expect(s.code).toMatch(/^\d{10}$/);
      expect(s.credit_code).toMatch(/^(12|52)\d{6}[0-9A-Z]{10}$/);
      expect(s.students).toBeGreaterThan(0);
      expect(s.teachers).toBeGreaterThan(0);
    }
    const point = schools.filter((s) => s.type === 'teaching_point');
    for (const s of point) {
      expect(s.students).toBeGreaterThanOrEqual(20);
      expect(s.students).toBeLessThanOrEqual(80);
    }
    const regions = await db.selectFrom('regions').selectAll().execute();
    expect(regions.map((r) => r.level).sort()).toEqual(['city', 'district', 'district', 'district', 'province']);
  });

  it('has indicators for two years, consistent with the school rows, urban better resourced than village', async () => {
    const rows = await db
      .selectFrom('school_indicators as i')
      .innerJoin('schools as s', 's.id', 'i.school_id')
      .select(['i.year', 'i.students', 'i.teachers', 'i.key_teachers', 'i.equipment_value_yuan', 'i.teachers_above_degree', 's.location'])
      .select(['s.students as s_students', 's.teachers as s_teachers'])
      .execute();
    const years = [...new Set(rows.map((r) => r.year))].sort();
    expect(years).toEqual([2024, 2025]);
    const schoolCount = (await db.selectFrom('schools').select('id').execute()).length;
    expect(rows.length).toBe(schoolCount * 2);
    for (const r of rows.filter((r) => r.year === 2025)) {
      expect(r.students).toBe(r.s_students);
      expect(r.teachers).toBe(r.s_teachers);
    }
    const per100 = (loc: string, f: (r: (typeof rows)[number]) => number) => {
      const xs = rows.filter((r) => r.year === 2025 && r.location === loc);
      return (100 * xs.reduce((a, r) => a + f(r), 0)) / xs.reduce((a, r) => a + r.students, 0);
    };
    expect(per100('urban', (r) => r.key_teachers)).toBeGreaterThan(2 * per100('village', (r) => r.key_teachers));
    expect(per100('urban', (r) => r.equipment_value_yuan)).toBeGreaterThan(2 * per100('village', (r) => r.equipment_value_yuan));
    expect(per100('urban', (r) => r.teachers_above_degree)).toBeGreaterThan(per100('village', (r) => r.teachers_above_degree));
  });

  it('has alliances of every kind and pattern, with core schools and members', async () => {
    const alliances = await db.selectFrom('alliances').selectAll().execute();
    expect(alliances.length).toBeGreaterThanOrEqual(6);
    expect(new Set(alliances.map((a) => a.kind))).toEqual(new Set(ALLIANCE_KINDS.codes));
    expect(new Set(alliances.map((a) => a.pattern))).toEqual(new Set(ALLIANCE_PATTERNS.codes));
    const members = await db.selectFrom('alliance_members').selectAll().execute();
    for (const a of alliances) {
      const mine = members.filter((m) => m.alliance_id === a.id);
      expect(mine.filter((m) => m.role === 'core' && m.status === 'active').map((m) => m.school_id)).toEqual([a.core_school_id]);
      expect(mine.filter((m) => m.role === 'member' && m.status === 'active').length).toBeGreaterThanOrEqual(2);
      for (const m of mine) expect(m.alliance_kind).toBe(a.kind);
      expect(a.founded_on <= a.cycle_start_on).toBe(true);
    }
    expect(members.some((m) => m.status === 'exited' && m.exit_reason && m.exited_on && m.exit_by)).toBe(true);
    // at most one active 融合型 group per school (also enforced by a unique index)
    const fusion = members.filter((m) => m.status === 'active' && m.alliance_kind === 'fusion').map((m) => m.school_id);
    expect(new Set(fusion).size).toBe(fusion.length);
    // cycle phases relative to 2026-11-23: 准备期 < 6 months, 实施期 6–24, 深化期 24–36
    const months = (d: string) => (2026 - Number(d.slice(0, 4))) * 12 + (11 - Number(d.slice(5, 7)));
    const phases = new Set(alliances.map((a) => (months(a.cycle_start_on) < 6 ? 'prep' : months(a.cycle_start_on) < 24 ? 'impl' : 'deep')));
    expect(phases).toEqual(new Set(['prep', 'impl', 'deep']));
    expect(alliances.some((a) => a.last_assessed_on && a.last_assessed_on < '2024-11-23')).toBe(true);
    const assessments = await db.selectFrom('assessments').selectAll().execute();
    expect(assessments.some((x) => x.result === 'weak')).toBe(true);
    for (const a of alliances.filter((a) => a.last_assessed_on)) {
      const latest = assessments
        .filter((x) => x.alliance_id === a.id)
        .map((x) => x.assessed_on)
        .sort()
        .pop();
      expect(latest).toBe(a.last_assessed_on);
    }
    const milestones = await db.selectFrom('milestones').selectAll().execute();
    expect(milestones.some((m) => m.done_on)).toBe(true);
    expect(milestones.some((m) => !m.done_on && m.due_on < '2026-11-23')).toBe(true);
  });

  it('has partners, governance bodies and documents with stored files', async () => {
    const partners = await db.selectFrom('partners').selectAll().execute();
    for (const k of ['enterprise', 'university', 'museum', 'community', 'foundation']) {
      expect(partners.some((p) => p.kind === k)).toBe(true);
    }
    expect(partners.every((p) => PARTNER_KINDS.codes.includes(p.kind as never))).toBe(true);
    const links = await db.selectFrom('alliance_partners').selectAll().execute();
    const alliances = await db.selectFrom('alliances').select('id').execute();
    for (const a of alliances) expect(links.some((l) => l.alliance_id === a.id && l.offers)).toBe(true);

    const bodies = await db.selectFrom('governance_bodies').selectAll().execute();
    for (const a of alliances) {
      const kinds = bodies.filter((b) => b.alliance_id === a.id).map((b) => b.kind);
      for (const k of ['council', 'supervisory', 'secretariat', 'experts']) expect(kinds).toContain(k);
      const groups = bodies.filter((b) => b.alliance_id === a.id && b.kind === 'subject_group');
      expect(groups.length).toBeGreaterThanOrEqual(2);
      for (const g of groups) expect(g.subject && g.host_school_id).toBeTruthy();
    }
    const bodyMembers = await db.selectFrom('body_members').selectAll().execute();
    expect(bodyMembers.some((m) => m.position === '理事长')).toBe(true);
    expect(bodyMembers.some((m) => m.position === '秘书长' && m.user_id === 'u_secretary')).toBe(true);

    const docs = await db.selectFrom('documents').selectAll().execute();
    const versions = await db.selectFrom('document_versions').selectAll().execute();
    for (const a of alliances) {
      const mine = docs.filter((d) => d.alliance_id === a.id);
      expect(mine.some((d) => d.kind === 'charter')).toBe(true);
      expect(mine.some((d) => d.kind === 'agreement' || d.kind === 'development')).toBe(true);
    }
    expect(docs.some((d) => d.kind === 'charter' && d.current_version === 2)).toBe(true);
    for (const d of docs) {
      const vs = versions.filter((v) => v.document_id === d.id).map((v) => v.version);
      expect(Math.max(...vs)).toBe(d.current_version);
    }
    for (const v of versions) {
      expect(v.file_key).toBeTruthy();
      const body = fs.readFileSync(path.join(dir, 'files', v.file_key!));
      expect(body.length).toBe(v.file_size);
      expect(crypto.createHash('sha256').update(body).digest('hex')).toBe(v.sha256);
      expect(v.mime).toBe('text/markdown; charset=utf-8');
      const terms = JSON.parse(v.terms) as { kind: string; op: string; value: number }[];
      for (const t of terms) {
        expect(TERM_KINDS.codes).toContain(t.kind);
        expect(['>=', '<=', '=', 'between']).toContain(t.op);
      }
    }
    const charter = versions.find((v) => v.file_name?.endsWith('章程.md'))!;
    const text = fs.readFileSync(path.join(dir, 'files', charter.file_key!), 'utf8');
    for (const h of ['总则', '组织机构', '权利与义务', '经费', '附则']) expect(text).toContain(h);
    expect(text.split('\n').length).toBeGreaterThanOrEqual(25);
    const agreements = versions.filter((v) => JSON.parse(v.terms).some((t: { kind: string }) => t.kind === 'cost_share_per_student'));
    expect(agreements.length).toBeGreaterThan(0);
  });

  it('has membership applications in every status with their decisions', async () => {
    const apps = await db.selectFrom('membership_applications').selectAll().execute();
    const decisions = await db.selectFrom('application_decisions').selectAll().execute();
    const alliances = await db.selectFrom('alliances').selectAll().execute();
    const members = await db.selectFrom('alliance_members').selectAll().where('status', '=', 'active').execute();
    expect(new Set(apps.map((a) => a.status))).toEqual(new Set(APPLICATION_STATUS.codes));
    for (const st of ['submitted', 'evaluated', 'recommended']) {
      expect(apps.filter((a) => a.status === st).length).toBeGreaterThanOrEqual(2);
    }
    const expectedSteps: Record<string, string[]> = {
      submitted: ['submit'],
      evaluated: ['submit', 'evaluate'],
      recommended: ['submit', 'evaluate', 'recommend'],
      approved: ['submit', 'evaluate', 'recommend', 'approve'],
      withdrawn: ['submit', 'withdraw'],
    };
    for (const a of apps) {
      const steps = decisions.filter((d) => d.application_id === a.id).sort((x, y) => x.at.localeCompare(y.at));
      if (a.status === 'rejected') expect(steps[steps.length - 1]).toMatchObject({ step: 'reject', decision: 'fail' });
      else expect(steps.map((s) => s.step)).toEqual(expectedSteps[a.status]);
      for (const s of steps) expect(s.actor_id && s.actor_name && s.at).toBeTruthy();
      const alliance = alliances.find((x) => x.id === a.alliance_id)!;
      const isMember = members.some((m) => m.alliance_id === a.alliance_id && m.school_id === a.school_id);
      if (['submitted', 'evaluated', 'recommended'].includes(a.status)) {
        expect(isMember).toBe(false);
        if (alliance.kind === 'fusion') {
          expect(members.some((m) => m.school_id === a.school_id && m.alliance_kind === 'fusion')).toBe(false);
        }
      }
      if (a.status === 'approved') expect(isMember).toBe(true);
    }
    // the browser tests: `bureau` approves a recommended application to `secretary`'s alliance; `principal2` applied
    const secretaryAlliance = (await db.selectFrom('role_grants').select('scope_id').where('user_id', '=', 'u_secretary').executeTakeFirstOrThrow()).scope_id;
    const bureauRegion = (await db.selectFrom('role_grants').select('scope_id').where('user_id', '=', 'u_bureau').executeTakeFirstOrThrow()).scope_id;
    const recommended = apps.filter((a) => a.status === 'recommended' && a.alliance_id === secretaryAlliance);
    expect(recommended.length).toBeGreaterThanOrEqual(1);
    expect(alliances.find((a) => a.id === secretaryAlliance)!.region_id).toBe(bureauRegion);
    const p2 = await db.selectFrom('users').selectAll().where('username', '=', 'principal2').executeTakeFirstOrThrow();
    const p2School = await db.selectFrom('schools').selectAll().where('id', '=', p2.school_id!).executeTakeFirstOrThrow();
    expect(['township', 'village']).toContain(p2School.location);
    expect(members.some((m) => m.alliance_id === secretaryAlliance && m.school_id === p2School.id)).toBe(false);
    expect(apps.some((a) => a.status === 'submitted' && a.school_id === p2School.id)).toBe(true);
  });

  it('has a demo account for every role', async () => {
    const users = await db.selectFrom('users').selectAll().execute();
    const grants = await db.selectFrom('role_grants').selectAll().execute();
    expect(new Set(DEMO_ACCOUNTS.map((a) => a.role))).toEqual(new Set(ROLES.codes));
    for (const acc of DEMO_ACCOUNTS) {
      const u = users.find((x) => x.username === acc.username)!;
      expect(u).toBeTruthy();
      expect(u).toMatchObject({ status: 'active', must_change_password: 0, locale: 'zh-CN' });
      expect(grants.some((g) => g.user_id === u.id && g.role === acc.role)).toBe(true);
    }
    expect(grants.find((g) => g.user_id === 'u_admin')).toMatchObject({ scope_type: 'installation', scope_id: null });
    expect(grants.find((g) => g.user_id === 'u_reviewer')).toMatchObject({ scope_type: 'alliance', subject: 'math' });
    for (const name of ['principal', 'principal2', 'teacher', 'student', 'guardian']) {
      expect(users.find((u) => u.username === name)!.school_id).toBeTruthy();
    }
    // partner accounts act for their own organisation (科技馆, 博物馆), both partners of the demo group
    const partnerOf = Object.fromEntries(users.filter((u) => u.partner_id).map((u) => [u.username, u.partner_id]));
    expect(partnerOf).toEqual({ partner: 'p_0001', partner2: 'p_0003' });
    const links = await db.selectFrom('alliance_partners').select('partner_id').where('alliance_id', '=', 'a_0001').execute();
    expect(links.map((l) => l.partner_id)).toEqual(expect.arrayContaining(['p_0001', 'p_0003']));
    const principal = users.find((u) => u.username === 'principal')!;
    const secretaryAlliance = grants.find((g) => g.user_id === 'u_secretary')!.scope_id!;
    const core = await db.selectFrom('alliances').select('core_school_id').where('id', '=', secretaryAlliance).executeTakeFirstOrThrow();
    expect(principal.school_id).toBe(core.core_school_id);
    expect(new Set(users.map((u) => u.password_hash)).size).toBe(1);
    expect(await verifyPassword(principal.password_hash, PASSWORD)).toBe(true);
    expect(users.some((u) => u.username.startsWith('t_'))).toBe(true);
    expect(users.some((u) => u.username === 'bureau_qs')).toBe(true);
  });

  it('is deterministic and runs only once', async () => {
    const other = await freshDatabase();
    await seedDemo(other.database, other.storage, { password: PASSWORD });
    for (const table of ['schools', 'school_indicators', 'alliances', 'alliance_members', 'document_versions', 'membership_applications'] as const) {
      const a = await db.selectFrom(table).selectAll().execute();
      const b = await other.database.db.selectFrom(table).selectAll().execute();
      const key = (r: object) => JSON.stringify(r);
      expect(b.map(key).sort()).toEqual(a.map(key).sort());
    }
    const again = await seedDemo(database, storage, { password: PASSWORD });
    expect(again.skipped).toBe(true);
    const count = await db.selectFrom('schools').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(summary.schools);
  });
});

describe('seedProvince', () => {
  it('seeds ≥10,000 schools and ≥1,000 alliances, next to the demo data', async () => {
    const { database, storage } = await freshDatabase();
    await seedDemo(database, storage, { password: PASSWORD });
    const summary = await seedProvince(database, { password: PASSWORD });
    console.log(`province seed (${database.dialect}): ${summary.ms} ms`, summary);
    expect(summary.schools).toBeGreaterThanOrEqual(10_000);
    expect(summary.alliances).toBeGreaterThanOrEqual(1_000);
    const { db } = database;
    const regions = await db.selectFrom('regions').select(['level']).where('code', 'like', '38%').execute();
    expect(regions.filter((r) => r.level === 'city').length).toBe(16);
    expect(regions.filter((r) => r.level === 'district').length).toBeGreaterThanOrEqual(120);
    const sizes = await db
      .selectFrom('alliance_members')
      .select(['alliance_id', sql<number>`count(*)`.as('n')])
      .where('alliance_id', 'like', 'pa_%')
      .groupBy('alliance_id')
      .execute();
    for (const s of sizes) {
      expect(Number(s.n)).toBeGreaterThanOrEqual(4);
      expect(Number(s.n)).toBeLessThanOrEqual(13);
    }
    const bench = await db
      .selectFrom('users as u')
      .innerJoin('role_grants as g', 'g.user_id', 'u.id')
      .innerJoin('regions as r', 'r.id', 'g.scope_id')
      .select(['u.username', 'g.role', 'r.level'])
      .where('u.username', 'in', ['bench_bureau', 'bench_city'])
      .orderBy('u.username')
      .execute();
    expect(bench).toEqual([
      { username: 'bench_bureau', role: 'bureau_admin', level: 'province' },
      { username: 'bench_city', role: 'bureau_admin', level: 'city' },
    ]);
    expect((await seedProvince(database, { password: PASSWORD })).skipped).toBe(true);
  }, 120_000);
});
