import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../index.js';
import { columnTypes } from '../index.js';

/** Foundation: accounts, sessions, audit, regions, schools, alliances, governance, documents, memberships, imports. */
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  const t = columnTypes(dialect);
  const idCol = dialect === 'postgres' ? 'bigserial' : 'integer';

  await db.schema
    .createTable('regions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('parent_id', 'text', (c) => c.references('regions.id'))
    .addColumn('level', 'text', (c) => c.notNull().check(sql`level in ('province','city','district')`))
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('regions_parent').on('regions').column('parent_id').execute();

  await db.schema
    .createTable('schools')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('region_id', 'text', (c) => c.notNull().references('regions.id'))
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('credit_code', 'text', (c) => c.unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('short_name', 'text')
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('ownership', 'text', (c) => c.notNull().check(sql`ownership in ('public','private')`))
    .addColumn('location', 'text', (c) => c.notNull().check(sql`location in ('urban','county_town','township','village')`))
    .addColumn('tags', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('address', 'text')
    .addColumn('lat', t.float)
    .addColumn('lng', t.float)
    .addColumn('principal', 'text')
    .addColumn('phone', 'text')
    .addColumn('founded_year', 'integer')
    .addColumn('students', 'integer', (c) => c.notNull().defaultTo(0).check(sql`students >= 0`))
    .addColumn('teachers', 'integer', (c) => c.notNull().defaultTo(0).check(sql`teachers >= 0`))
    .addColumn('classes', 'integer', (c) => c.notNull().defaultTo(0).check(sql`classes >= 0`))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('schools_region_code').on('schools').columns(['region_id', 'code']).execute();

  await db.schema
    .createTable('school_indicators')
    .addColumn('school_id', 'text', (c) => c.notNull().references('schools.id').onDelete('cascade'))
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('students', 'integer', (c) => c.notNull().check(sql`students >= 0`))
    .addColumn('teachers', 'integer', (c) => c.notNull().check(sql`teachers >= 0`))
    .addColumn('teachers_above_degree', 'integer', (c) => c.notNull().check(sql`teachers_above_degree >= 0`))
    .addColumn('key_teachers', 'integer', (c) => c.notNull().check(sql`key_teachers >= 0`))
    .addColumn('pe_art_teachers', 'integer', (c) => c.notNull().check(sql`pe_art_teachers >= 0`))
    .addColumn('teaching_area_m2', t.float, (c) => c.notNull().check(sql`teaching_area_m2 >= 0`))
    .addColumn('sports_area_m2', t.float, (c) => c.notNull().check(sql`sports_area_m2 >= 0`))
    .addColumn('equipment_value_yuan', t.float, (c) => c.notNull().check(sql`equipment_value_yuan >= 0`))
    .addColumn('multimedia_rooms', 'integer', (c) => c.notNull().check(sql`multimedia_rooms >= 0`))
    .addColumn('books', 'integer', (c) => c.notNull().defaultTo(0).check(sql`books >= 0`))
    .addColumn('updated_by', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('school_indicators_pk', ['school_id', 'year'])
    .execute();

  await db.schema
    .createTable('users')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('username', 'text', (c) => c.notNull().unique())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.unique())
    .addColumn('phone', 'text', (c) => c.unique())
    .addColumn('password_hash', 'text')
    .addColumn('must_change_password', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('password_changed_at', 'text')
    .addColumn('school_id', 'text', (c) => c.references('schools.id'))
    .addColumn('region_id', 'text', (c) => c.references('regions.id'))
    .addColumn('locale', 'text', (c) => c.notNull().defaultTo('zh-CN'))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('active').check(sql`status in ('active','disabled')`))
    .addColumn('failed_logins', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('locked_until', 'text')
    .addColumn('oidc_subject', 'text', (c) => c.unique())
    .addColumn('last_login_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('users_school').on('users').column('school_id').execute();
  await db.schema.createIndex('users_region').on('users').column('region_id').execute();

  await db.schema
    .createTable('role_grants')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('scope_type', 'text', (c) => c.notNull().check(sql`scope_type in ('installation','region','alliance','school')`))
    .addColumn('scope_id', 'text')
    .addColumn('subject', 'text')
    .addColumn('granted_by', 'text')
    .addColumn('granted_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('role_grants_unique')
    .on('role_grants')
    .expression(sql`user_id, role, scope_type, coalesce(scope_id, ''), coalesce(subject, '')`)
    .unique()
    .execute();
  await db.schema.createIndex('role_grants_scope').on('role_grants').columns(['scope_type', 'scope_id']).execute();

  await db.schema
    .createTable('sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('csrf_token', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_seen_at', 'text', (c) => c.notNull())
    .addColumn('idle_expires_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('ip', 'text')
    .addColumn('user_agent', 'text')
    .addColumn('via', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();

  await db.schema
    .createTable('auth_flows')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('code_verifier', 'text', (c) => c.notNull())
    .addColumn('nonce', 'text', (c) => c.notNull())
    .addColumn('return_to', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('audit_log')
    .addColumn('id', idCol, (c) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('actor_name', 'text')
    .addColumn('ip', 'text')
    .addColumn('request_id', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('entity_type', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'text')
    .addColumn('region_id', 'text')
    .addColumn('alliance_id', 'text')
    .addColumn('school_id', 'text')
    .addColumn('detail', 'text', (c) => c.notNull().defaultTo('{}'))
    .execute();
  await db.schema.createIndex('audit_at').on('audit_log').column('at').execute();
  await db.schema.createIndex('audit_region_at').on('audit_log').columns(['region_id', 'at']).execute();
  await db.schema.createIndex('audit_entity').on('audit_log').columns(['entity_type', 'entity_id']).execute();

  await db.schema
    .createTable('partners')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('region_id', 'text', (c) => c.notNull().references('regions.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('enterprise','university','museum','community','foundation','other')`))
    .addColumn('contact', 'text')
    .addColumn('phone', 'text')
    .addColumn('description', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('partners_region_name', ['region_id', 'name'])
    .execute();

  await db.schema
    .createTable('alliances')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('region_id', 'text', (c) => c.notNull().references('regions.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('fusion','aggregation','union')`))
    .addColumn('pattern', 'text', (c) => c.notNull().check(sql`pattern in ('mother_child','mentor','partner','urban_rural')`))
    .addColumn('core_school_id', 'text', (c) => c.notNull().references('schools.id'))
    .addColumn('description', 'text')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('active').check(sql`status in ('active','dissolved')`))
    .addColumn('founded_on', 'text', (c) => c.notNull())
    .addColumn('cycle_start_on', 'text', (c) => c.notNull())
    .addColumn('last_assessed_on', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('alliances_region_name', ['region_id', 'name'])
    .execute();

  await db.schema
    .createTable('alliance_members')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('alliance_id', 'text', (c) => c.notNull().references('alliances.id'))
    .addColumn('school_id', 'text', (c) => c.notNull().references('schools.id'))
    .addColumn('alliance_kind', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('core','member')`))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('active','exited')`))
    .addColumn('joined_on', 'text', (c) => c.notNull())
    .addColumn('exited_on', 'text')
    .addColumn('exit_reason', 'text')
    .addColumn('exit_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addCheckConstraint('alliance_members_exit', sql`status = 'active' or (exited_on is not null and exit_reason is not null)`)
    .execute();
  // one active membership per school and alliance; at most one active 融合型 group per school
  await sql`create unique index alliance_members_active on alliance_members (alliance_id, school_id) where status = 'active'`.execute(db);
  await sql`create unique index alliance_members_one_fusion on alliance_members (school_id) where status = 'active' and alliance_kind = 'fusion'`.execute(db);
  await db.schema.createIndex('alliance_members_school').on('alliance_members').columns(['school_id', 'status']).execute();

  await db.schema
    .createTable('alliance_partners')
    .addColumn('alliance_id', 'text', (c) => c.notNull().references('alliances.id'))
    .addColumn('partner_id', 'text', (c) => c.notNull().references('partners.id'))
    .addColumn('offers', 'text')
    .addColumn('joined_on', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('alliance_partners_pk', ['alliance_id', 'partner_id'])
    .execute();

  await db.schema
    .createTable('governance_bodies')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('alliance_id', 'text', (c) => c.notNull().references('alliances.id'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('council','supervisory','foundation','secretariat','experts','subject_group')`))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('subject', 'text')
    .addColumn('host_school_id', 'text', (c) => c.references('schools.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('governance_bodies_alliance').on('governance_bodies').column('alliance_id').execute();

  await db.schema
    .createTable('body_members')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('body_id', 'text', (c) => c.notNull().references('governance_bodies.id').onDelete('cascade'))
    .addColumn('person_name', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.references('users.id'))
    .addColumn('school_id', 'text', (c) => c.references('schools.id'))
    .addColumn('position', 'text', (c) => c.notNull())
    .addColumn('term_start', 'text', (c) => c.notNull())
    .addColumn('term_end', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addCheckConstraint('body_members_term', sql`term_end is null or term_end >= term_start`)
    .execute();
  await db.schema.createIndex('body_members_body').on('body_members').column('body_id').execute();

  await db.schema
    .createTable('documents')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('alliance_id', 'text', (c) => c.notNull().references('alliances.id'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('charter','agreement','development','other')`))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('current_version', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('documents_alliance').on('documents').column('alliance_id').execute();

  await db.schema
    .createTable('document_versions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('document_id', 'text', (c) => c.notNull().references('documents.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('file_key', 'text')
    .addColumn('file_name', 'text')
    .addColumn('file_size', 'integer')
    .addColumn('mime', 'text')
    .addColumn('sha256', 'text')
    .addColumn('terms', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('effective_from', 'text')
    .addColumn('effective_to', 'text')
    .addColumn('note', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('document_versions_unique', ['document_id', 'version'])
    .execute();

  await db.schema
    .createTable('milestones')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('alliance_id', 'text', (c) => c.notNull().references('alliances.id'))
    .addColumn('phase', 'text', (c) => c.notNull().check(sql`phase in ('preparation','implementation','deepening')`))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('due_on', 'text', (c) => c.notNull())
    .addColumn('done_on', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('milestones_alliance').on('milestones').column('alliance_id').execute();

  await db.schema
    .createTable('assessments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('alliance_id', 'text', (c) => c.notNull().references('alliances.id'))
    .addColumn('assessed_on', 'text', (c) => c.notNull())
    .addColumn('score', t.float, (c) => c.notNull().check(sql`score >= 0 and score <= 100`))
    .addColumn('result', 'text', (c) => c.notNull().check(sql`result in ('excellent','good','pass','weak')`))
    .addColumn('comment', 'text')
    .addColumn('assessed_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('assessments_alliance').on('assessments').columns(['alliance_id', 'assessed_on']).execute();

  await db.schema
    .createTable('membership_applications')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('alliance_id', 'text', (c) => c.notNull().references('alliances.id'))
    .addColumn('school_id', 'text', (c) => c.notNull().references('schools.id'))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('submitted','evaluated','recommended','approved','rejected','withdrawn')`))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('applied_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  // one open application per school and alliance
  await sql`create unique index membership_applications_open on membership_applications (alliance_id, school_id) where status in ('submitted','evaluated','recommended')`.execute(
    db,
  );
  await db.schema.createIndex('membership_applications_status').on('membership_applications').columns(['status', 'alliance_id']).execute();

  await db.schema
    .createTable('application_decisions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('application_id', 'text', (c) => c.notNull().references('membership_applications.id'))
    .addColumn('step', 'text', (c) => c.notNull().check(sql`step in ('submit','evaluate','recommend','approve','reject','withdraw')`))
    .addColumn('decision', 'text', (c) => c.notNull().check(sql`decision in ('pass','fail')`))
    .addColumn('comment', 'text')
    .addColumn('actor_id', 'text')
    .addColumn('actor_name', 'text')
    .addColumn('ip', 'text')
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('application_decisions_app').on('application_decisions').column('application_id').execute();

  await db.schema
    .createTable('imports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('schools','users')`))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('previewed','committed','discarded')`))
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('region_id', 'text')
    .addColumn('school_id', 'text')
    .addColumn('rows', 'text', (c) => c.notNull())
    .addColumn('valid_count', 'integer', (c) => c.notNull())
    .addColumn('invalid_count', 'integer', (c) => c.notNull())
    .addColumn('imported_count', 'integer')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('committed_at', 'text')
    .execute();
}
