/**
 * Resource lists: the catalogue search (full-text, facets, sorting, highlights), my resources, my
 * favourites, and the summary rows they all return.
 */
import { sql, type ExpressionBuilder, type SelectQueryBuilder } from 'kysely';
import { GRADES, LICENCES, RESOURCE_KINDS, STAGES } from '../../../common/resources.js';
import { SUBJECTS } from '../../../common/vocab.js';
import { fromJson } from '../../db/index.js';
import { ftsMatch, ftsTexts } from '../../db/fts.js';
import type { Ctx } from '../../platform/context.js';
import { highlight, queryTerms } from '../../platform/search.js';
import type { OrgSnapshot } from '../org/directory.js';
import type { Deps, Row } from './core.js';
import { publishedFilter, type RDB } from './policy.js';
import type { MineQuery, ResourceQuery, ResourceSummary } from './schema.js';

type J = RDB & { m: { doc_id: string; rank: number } };
type Q = SelectQueryBuilder<J, 'r' | 'm', object>;

const FACETS = ['subject', 'stage', 'grade', 'kind', 'school', 'licence'] as const;
type FacetKey = (typeof FACETS)[number];
const FACET_COLUMN: Record<FacetKey, 'r.subject' | 'r.stage' | 'r.grade' | 'r.kind' | 'r.school_id' | 'r.licence'> = {
  subject: 'r.subject',
  stage: 'r.stage',
  grade: 'r.grade',
  kind: 'r.kind',
  school: 'r.school_id',
  licence: 'r.licence',
};
const FACET_LABELS = { subject: SUBJECTS, stage: STAGES, grade: GRADES, kind: RESOURCE_KINDS, licence: LICENCES } as const;

/** The list rows: school names from the directory, authors and the main file's type in two statements. */
export async function summaries(d: Deps, org: OrgSnapshot, rows: Row[], hl?: { terms: string[]; texts: Map<string, string> }): Promise<ResourceSummary[]> {
  if (!rows.length) return [];
  const ids = rows.map((r) => r.id);
  const authors = await d.db
    .selectFrom('resource_authors')
    .select(['resource_id', 'name'])
    .where('resource_id', 'in', ids)
    .orderBy('resource_id')
    .orderBy('position')
    .execute();
  const byRes = new Map<string, string[]>();
  for (const a of authors) byRes.set(a.resource_id, [...(byRes.get(a.resource_id) ?? []), a.name]);
  const versionIds = rows.map((r) => r.current_version_id ?? r.draft_version_id).filter((v): v is string => !!v);
  const mains = versionIds.length
    ? await d.db
        .selectFrom('resource_files')
        .select(['version_id', 'mime', 'position'])
        .where('version_id', 'in', versionIds)
        .orderBy('version_id')
        .orderBy('position')
        .execute()
    : [];
  const mimeOf = new Map<string, string>();
  for (const m of mains) if (!mimeOf.has(m.version_id)) mimeOf.set(m.version_id, m.mime);
  return rows.map((r) => {
    const v = r.current_version_id ?? r.draft_version_id;
    const text = hl ? (hl.texts.get(r.id) ?? r.description) : null;
    return {
      id: r.id,
      kind: r.kind,
      title: r.title,
      titleHighlight: hl?.terms.length ? highlight(r.title, hl.terms, 200) : null,
      snippet: hl?.terms.length && text ? highlight(text, hl.terms, 120) : null,
      description: r.description,
      subject: r.subject,
      stage: r.stage,
      grade: r.grade,
      textbookEdition: r.textbook_edition,
      chapter: r.chapter,
      difficulty: r.difficulty,
      tags: fromJson<string[]>(r.tags, []),
      licence: r.licence,
      visibility: r.visibility,
      status: r.status,
      school: { id: r.school_id, name: org.school(r.school_id)?.name ?? r.school_id },
      allianceId: r.alliance_id,
      authors: byRes.get(r.id) ?? [],
      views: Number(r.views),
      downloads: Number(r.downloads),
      uses: Number(r.uses),
      rating: r.rating_count ? Math.round((Number(r.rating_sum) / Number(r.rating_count)) * 10) / 10 : null,
      ratingCount: Number(r.rating_count),
      publishedAt: r.published_at,
      updatedAt: r.updated_at,
      mainMime: v ? (mimeOf.get(v) ?? null) : null,
    };
  });
}

/** The catalogue search: published resources that reach the actor, filtered, sorted, with facet counts. */
export async function list(d: Deps, ctx: Ctx, q: ResourceQuery) {
  const { actor } = ctx;
  const org = await d.dir.current();
  const terms = q.q ? queryTerms(q.q) : [];
  const dialect = d.database.dialect;
  const from = (): Q =>
    (terms.length
      ? d.db.selectFrom('resources as r').innerJoin(ftsMatch(dialect, terms).as('m'), 'm.doc_id', 'r.id')
      : d.db.selectFrom('resources as r')) as unknown as Q;
  const filtered = (exclude?: FacetKey): Q => {
    let b = from().where((eb) => publishedFilter(actor)(eb as unknown as ExpressionBuilder<RDB, 'r'>));
    if (q.kind && exclude !== 'kind') b = b.where('r.kind', '=', q.kind);
    if (q.subject && exclude !== 'subject') b = b.where('r.subject', '=', q.subject);
    if (q.stage && exclude !== 'stage') b = b.where('r.stage', '=', q.stage);
    if (q.grade && exclude !== 'grade') b = b.where('r.grade', '=', q.grade);
    if (q.schoolId && exclude !== 'school') b = b.where('r.school_id', '=', q.schoolId);
    if (q.licence && exclude !== 'licence') b = b.where('r.licence', '=', q.licence);
    if (q.allianceId) b = b.where('r.alliance_id', '=', q.allianceId);
    return b;
  };
  const total = await filtered()
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const sort = q.sort ?? (terms.length ? 'relevance' : 'newest');
  let sorted = filtered().selectAll('r');
  if (sort === 'relevance' && terms.length) sorted = sorted.orderBy('m.rank', 'desc');
  else if (sort === 'rating')
    sorted = sorted.orderBy(sql`case when r.rating_count > 0 then r.rating_sum * 1.0 / r.rating_count else 0 end`, 'desc').orderBy('r.rating_count', 'desc');
  else if (sort === 'use') sorted = sorted.orderBy('r.uses', 'desc');
  sorted = sorted.orderBy('r.published_at', 'desc').orderBy('r.id', 'desc');
  const rows: Row[] = await sorted
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize)
    .execute();

  const facets = {} as Record<FacetKey, { value: string; label: string; count: number }[]>;
  for (const f of FACETS) {
    const col = FACET_COLUMN[f];
    const res = await filtered(f)
      .select([sql<string>`${sql.ref(col)}`.as('value'), (eb) => eb.fn.countAll<number>().as('n')])
      .where(col, 'is not', null)
      .groupBy(col)
      .orderBy('n', 'desc')
      .limit(f === 'school' ? 30 : 50)
      .execute();
    facets[f] = res.map((x) => ({ value: String(x.value), label: String(x.value), count: Number(x.n) }));
  }
  for (const f of ['subject', 'stage', 'grade', 'kind', 'licence'] as const) for (const v of facets[f]) v.label = FACET_LABELS[f].label(v.value);
  for (const v of facets.school) v.label = org.school(v.value)?.name ?? v.value;
  const texts = terms.length
    ? await ftsTexts(
        d.db,
        rows.map((r) => r.id),
      )
    : new Map<string, string>();
  return {
    items: await summaries(d, org, rows, terms.length ? { terms, texts } : undefined),
    total: Number(total.n),
    page: q.page,
    pageSize: q.pageSize,
    facets,
    terms,
  };
}

/** The actor's own resources (author or co-author), every state. */
export async function mine(d: Deps, ctx: Ctx, q: MineQuery) {
  const { actor } = ctx;
  const org = await d.dir.current();
  let b = d.db
    .selectFrom('resources as r')
    .where((eb) =>
      eb.or([
        eb('r.created_by', '=', actor.userId),
        eb.exists(eb.selectFrom('resource_authors as a').select('a.id').whereRef('a.resource_id', '=', 'r.id').where('a.user_id', '=', actor.userId)),
      ]),
    );
  if (q.status) b = b.where('r.status', '=', q.status);
  const total = await b.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await b
    .selectAll('r')
    .orderBy('r.updated_at', 'desc')
    .orderBy('r.id', 'desc')
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize)
    .execute();
  return { items: await summaries(d, org, rows), total: Number(total.n), page: q.page, pageSize: q.pageSize };
}

/** The actor's favourites that still reach the actor. */
export async function favourites(d: Deps, ctx: Ctx) {
  const { actor } = ctx;
  const org = await d.dir.current();
  const rows = await d.db
    .selectFrom('resources as r')
    .innerJoin('resource_favourites as f', 'f.resource_id', 'r.id')
    .where('f.user_id', '=', actor.userId)
    .where((eb) => publishedFilter(actor)(eb as unknown as ExpressionBuilder<RDB, 'r'>))
    .selectAll('r')
    .orderBy('f.created_at', 'desc')
    .limit(200)
    .execute();
  return { items: await summaries(d, org, rows), total: rows.length, page: 1, pageSize: 200 };
}
