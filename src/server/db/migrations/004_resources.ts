/** Course resource library (SPEC S2): resources, versions, files, review, use and feedback. */
import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../index.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  const idCol = dialect === 'postgres' ? 'bigserial' : 'integer';
  const float = dialect === 'postgres' ? 'double precision' : 'real';
  const big = dialect === 'postgres' ? 'bigint' : 'integer';

  await db.schema
    .createTable('resources')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('stage', 'text', (c) => c.notNull())
    .addColumn('grade', 'text')
    .addColumn('textbook_edition', 'text')
    .addColumn('chapter', 'text')
    .addColumn('difficulty', 'text')
    .addColumn('tags', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('language', 'text', (c) => c.notNull().defaultTo('zh'))
    .addColumn('licence', 'text', (c) => c.notNull())
    .addColumn('visibility', 'text', (c) => c.notNull())
    .addColumn('alliance_id', 'text', (c) => c.references('alliances.id'))
    .addColumn('school_id', 'text', (c) => c.notNull().references('schools.id'))
    .addColumn('region_id', 'text', (c) => c.notNull().references('regions.id'))
    .addColumn('created_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('current_version_id', 'text')
    .addColumn('draft_version_id', 'text')
    .addColumn('reviewer_id', 'text', (c) => c.references('users.id'))
    .addColumn('submitted_at', 'text')
    .addColumn('published_at', 'text')
    .addColumn('views', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('downloads', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('uses', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('rating_sum', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('rating_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addCheckConstraint('resources_status_ck', sql`status in ('draft','submitted','in_review','published','returned','withdrawn','archived')`)
    .addCheckConstraint('resources_visibility_ck', sql`visibility in ('school','alliance','region','public')`)
    .addCheckConstraint('resources_counts_ck', sql`views >= 0 and downloads >= 0 and uses >= 0 and rating_sum >= 0 and rating_count >= 0`)
    .execute();
  await db.schema.createIndex('resources_status_idx').on('resources').columns(['status', 'published_at']).execute();
  await db.schema.createIndex('resources_school_idx').on('resources').columns(['school_id', 'status']).execute();
  await db.schema.createIndex('resources_alliance_idx').on('resources').columns(['alliance_id', 'status']).execute();
  await db.schema.createIndex('resources_subject_idx').on('resources').columns(['subject', 'published_at']).execute();
  await db.schema.createIndex('resources_creator_idx').on('resources').columns(['created_by']).execute();
  await db.schema.createIndex('resources_reviewer_idx').on('resources').columns(['reviewer_id', 'status']).execute();

  await db.schema
    .createTable('resource_authors')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('resource_id', 'text', (c) => c.notNull().references('resources.id'))
    .addColumn('user_id', 'text', (c) => c.references('users.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('resource_authors_res_idx').on('resource_authors').columns(['resource_id', 'position']).execute();
  await db.schema.createIndex('resource_authors_user_idx').on('resource_authors').columns(['user_id']).execute();

  await db.schema
    .createTable('resource_versions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('resource_id', 'text', (c) => c.notNull().references('resources.id'))
    .addColumn('number', 'integer', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('published_at', 'text')
    .addUniqueConstraint('resource_versions_number_uq', ['resource_id', 'number'])
    .execute();

  await db.schema
    .createTable('resource_files')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('resource_id', 'text', (c) => c.notNull().references('resources.id'))
    .addColumn('version_id', 'text', (c) => c.notNull().references('resource_versions.id'))
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('storage_key', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('mime', 'text', (c) => c.notNull())
    .addColumn('size', big, (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('text', 'text')
    .addColumn('text_extracted', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('pdf_key', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('resource_files_version_idx').on('resource_files').columns(['version_id', 'position']).execute();
  await db.schema.createIndex('resource_files_res_idx').on('resource_files').columns(['resource_id']).execute();

  await db.schema
    .createTable('resource_reviews')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('resource_id', 'text', (c) => c.notNull().references('resources.id'))
    .addColumn('version_id', 'text', (c) => c.references('resource_versions.id'))
    .addColumn('reviewer_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('scores', 'text', (c) => c.notNull())
    .addColumn('average', float, (c) => c.notNull())
    .addColumn('decision', 'text', (c) => c.notNull())
    .addColumn('comment', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addCheckConstraint('resource_reviews_decision_ck', sql`decision in ('publish','return')`)
    .execute();
  await db.schema.createIndex('resource_reviews_res_idx').on('resource_reviews').columns(['resource_id', 'created_at']).execute();

  await db.schema
    .createTable('resource_review_assignments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('resource_id', 'text', (c) => c.notNull().references('resources.id'))
    .addColumn('version_id', 'text', (c) => c.references('resource_versions.id'))
    .addColumn('reviewer_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('assigned_at', 'text', (c) => c.notNull())
    .addColumn('done_at', 'text')
    .addColumn('decision', 'text')
    .execute();
  await db.schema.createIndex('resource_assign_reviewer_idx').on('resource_review_assignments').columns(['reviewer_id', 'done_at']).execute();
  await db.schema.createIndex('resource_assign_res_idx').on('resource_review_assignments').columns(['resource_id']).execute();

  await db.schema
    .createTable('resource_status_history')
    .addColumn('id', idCol, (c) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn('resource_id', 'text', (c) => c.notNull().references('resources.id'))
    .addColumn('from_status', 'text')
    .addColumn('to_status', 'text', (c) => c.notNull())
    .addColumn('step', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text', (c) => c.references('users.id'))
    .addColumn('comment', 'text')
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('resource_history_res_idx').on('resource_status_history').columns(['resource_id', 'at']).execute();

  await db.schema
    .createTable('resource_ratings')
    .addColumn('resource_id', 'text', (c) => c.notNull().references('resources.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('stars', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('resource_ratings_pk', ['resource_id', 'user_id'])
    .addCheckConstraint('resource_ratings_stars_ck', sql`stars between 1 and 5`)
    .execute();

  await db.schema
    .createTable('resource_comments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('resource_id', 'text', (c) => c.notNull().references('resources.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('deleted_at', 'text')
    .addColumn('deleted_by', 'text', (c) => c.references('users.id'))
    .execute();
  await db.schema.createIndex('resource_comments_res_idx').on('resource_comments').columns(['resource_id', 'created_at']).execute();

  await db.schema
    .createTable('resource_favourites')
    .addColumn('resource_id', 'text', (c) => c.notNull().references('resources.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('resource_favourites_pk', ['resource_id', 'user_id'])
    .execute();
  await db.schema.createIndex('resource_favourites_user_idx').on('resource_favourites').columns(['user_id', 'created_at']).execute();

  await db.schema
    .createTable('resource_uses')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('resource_id', 'text', (c) => c.notNull().references('resources.id'))
    .addColumn('version_id', 'text', (c) => c.notNull().references('resource_versions.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('school_id', 'text', (c) => c.references('schools.id'))
    .addColumn('class_note', 'text')
    .addColumn('used_on', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('resource_uses_day_uq', ['resource_id', 'user_id', 'used_on'])
    .execute();
  await db.schema.createIndex('resource_uses_user_idx').on('resource_uses').columns(['user_id', 'used_on']).execute();

  await db.schema
    .createTable('resource_daily_counts')
    .addColumn('resource_id', 'text', (c) => c.notNull().references('resources.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('resource_daily_counts_pk', ['resource_id', 'user_id', 'day', 'kind'])
    .addCheckConstraint('resource_daily_counts_kind_ck', sql`kind in ('view','download')`)
    .execute();

  await db.schema
    .createTable('resource_contributions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('resource_id', 'text', (c) => c.notNull().references('resources.id'))
    .addColumn('use_id', 'text', (c) => c.notNull().unique().references('resource_uses.id'))
    .addColumn('owner_school_id', 'text', (c) => c.notNull().references('schools.id'))
    .addColumn('author_id', 'text', (c) => c.references('users.id'))
    .addColumn('using_school_id', 'text', (c) => c.notNull().references('schools.id'))
    .addColumn('alliance_id', 'text', (c) => c.references('alliances.id'))
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('transaction_id', 'text')
    .addColumn('amount', float, (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('resource_contrib_owner_idx').on('resource_contributions').columns(['owner_school_id', 'at']).execute();
  await db.schema.createIndex('resource_contrib_author_idx').on('resource_contributions').columns(['author_id', 'at']).execute();

  await db.schema
    .createTable('resource_notifications')
    .addColumn('id', idCol, (c) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('resource_id', 'text', (c) => c.references('resources.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('read_at', 'text')
    .execute();
  await db.schema.createIndex('resource_notifications_user_idx').on('resource_notifications').columns(['user_id', 'created_at']).execute();
}
