/**
 * Demo course resources (S2): a few hundred resources with real Chinese titles and small real files
 * (PDFs with Chinese text, DOCX, PNG covers, short MP4s from seed/resource-files.ts), across the demo
 * schools and alliances, in every state of the workflow 上传—审核—共享, with reviews, ratings,
 * comments, favourites, "used in my class" reports and contribution events; published ones indexed for
 * search. Deterministic (seeded PRNG, dates relative to `today`).
 *
 * The vocabulary (topics per subject and stage, title and text templates) is exported for the search
 * benchmark, which generates 200,000 resources from it.
 */
import type { Database } from '../db/index.js';
import { toJson } from '../db/index.js';
import { ftsInsertMany, type FtsDoc } from '../db/fts.js';
import type { Storage } from '../platform/storage.js';
import { TEXTBOOK_EDITIONS, type Licence, type ResourceKind, type Visibility } from '../../common/resources.js';
import { insertBatched } from './insert.js';
import { addDays, instant, pad, Rng } from './random.js';
import { filesFor, type FileSpec } from './resource-demo-files.js';
import { seedFeedback, seedWorkflow, type ResourceRows, type Status } from './resource-activity.js';
import { TOPICS, generateResource, weighted, type StageCode } from './resource-vocab.js';

export { generateResource, TOPICS, type GeneratedResource, type StageCode, type Topic } from './resource-vocab.js';

/** Published demo resources whose words are found inside their files (欧姆定律 → 电路, 等差数列 → 函数). */
const SHOWCASE: { topic: string; kind: ResourceKind }[] = [
  { topic: '二次函数的图像与性质', kind: 'lesson_plan' },
  { topic: '串联和并联电路', kind: 'courseware' },
  { topic: '欧姆定律', kind: 'lesson_plan' },
  { topic: '等差数列', kind: 'lesson_plan' },
  { topic: '古诗词鉴赏', kind: 'micro_lesson' },
  { topic: '光合作用', kind: 'lesson_video' },
];

/** The demo account 陈晓燕 (username teacher). */
const DEMO_TEACHER = 'u_teacher';

const STATUS_WEIGHTS: [Status, number][] = [
  ['published', 64],
  ['draft', 8],
  ['submitted', 4],
  ['in_review', 7],
  ['returned', 6],
  ['withdrawn', 3],
  ['archived', 4],
  ['revising', 4],
];

const STAGES_OF_TYPE: Record<string, StageCode[]> = {
  primary: ['primary'],
  junior: ['junior'],
  senior: ['senior'],
  nine_year: ['primary', 'junior'],
  complete_secondary: ['junior', 'senior'],
  twelve_year: ['primary', 'junior', 'senior'],
  teaching_point: ['primary'],
  special: ['primary'],
};

export interface SeedResourcesSummary {
  resources: number;
  files: number;
  indexed: number;
  ms: number;
}

/**
 * Seeds the demo resources into a database that has the demo region (run by seedDemo). Files are
 * stored first, then all rows go in one transaction (a failure leaves only unreferenced files).
 */
export async function seedResources(database: Database, storage: Storage, opts: { today: string; count?: number }): Promise<SeedResourcesSummary> {
  const started = Date.now();
  const { db, dialect } = database;
  const today = opts.today;
  const count = opts.count ?? 320;
  if (await db.selectFrom('resources').select('id').limit(1).executeTakeFirst()) return { resources: 0, files: 0, indexed: 0, ms: 0 };

  // ---- the region as seeded ----
  const regions = await db.selectFrom('regions').select(['id', 'level', 'parent_id']).execute();
  const cityOf = new Map(regions.map((r) => [r.id, r.level === 'district' && r.parent_id ? r.parent_id : r.id]));
  const schools = await db.selectFrom('schools').select(['id', 'type', 'region_id', 'name']).orderBy('id').execute();
  const members = await db
    .selectFrom('alliance_members as m')
    .innerJoin('alliances as a', 'a.id', 'm.alliance_id')
    .select(['m.school_id', 'm.alliance_id'])
    .where('m.status', '=', 'active')
    .where('a.status', '=', 'active')
    .orderBy('m.alliance_id')
    .orderBy('m.school_id')
    .execute();
  const grants = await db.selectFrom('role_grants').select(['user_id', 'role', 'scope_id', 'subject']).orderBy('id').execute();
  const allianceOf = new Map<string, string>();
  const schoolsOf = new Map<string, string[]>();
  for (const m of members) {
    if (!allianceOf.has(m.school_id)) allianceOf.set(m.school_id, m.alliance_id);
    schoolsOf.set(m.alliance_id, [...(schoolsOf.get(m.alliance_id) ?? []), m.school_id]);
  }
  const teachersOf = new Map<string, string[]>();
  const reviewersOf = new Map<string, { user: string; subject: string | null }[]>();
  const adminsOf = new Map<string, string[]>();
  for (const g of grants) {
    if (!g.scope_id) continue;
    if (g.role === 'teacher') teachersOf.set(g.scope_id, [...(teachersOf.get(g.scope_id) ?? []), g.user_id]);
    if (g.role === 'reviewer') reviewersOf.set(g.scope_id, [...(reviewersOf.get(g.scope_id) ?? []), { user: g.user_id, subject: g.subject }]);
    if (g.role === 'alliance_admin') adminsOf.set(g.scope_id, [...(adminsOf.get(g.scope_id) ?? []), g.user_id]);
  }
  const eligible = schools.filter((s) => allianceOf.has(s.id) && STAGES_OF_TYPE[s.type] && (teachersOf.get(s.id)?.length ?? 0) > 0);
  if (!eligible.length) return { resources: 0, files: 0, indexed: 0, ms: Date.now() - started };
  const schoolById = new Map(schools.map((s) => [s.id, s]));
  // the first alliance (the demo's 教育集团) gets half of everything; its core school is prolific
  const firstAlliance = members[0]!.alliance_id;
  const inFirst = eligible.filter((s) => allianceOf.get(s.id) === firstAlliance);

  // the demo account "teacher" authors some (my resources, returned work, uses by others)
  const demoTeacherGrant = grants.find((g) => g.user_id === DEMO_TEACHER && g.role === 'teacher');
  const demoTeacherSchool = demoTeacherGrant ? (eligible.find((s) => s.id === demoTeacherGrant.scope_id) ?? null) : null;

  const rng = new Rng('demo/resources');
  const rows: ResourceRows = {
    resources: [],
    authors: [],
    versions: [],
    files: [],
    reviews: [],
    assignments: [],
    history: [],
    ratings: [],
    comments: [],
    favourites: [],
    uses: [],
    contributions: [],
    rewards: [],
    notifications: [],
  };
  const blobs: { key: string; body: Buffer; fileIndex: number }[] = [];
  const fts: FtsDoc[] = [];
  const serial = { hist: 0, file: 0, ver: 0, misc: 0 };
  const hid = (p: string) => `${p}_${pad(++serial.misc, 6)}`;

  for (let i = 0; i < count; i++) {
    const id = `rs_${pad(i + 1, 5)}`;
    // school: half in the first alliance (a third of those at its core school), the rest anywhere
    let school = rng.chance(0.5) ? rng.pick(inFirst.length ? inFirst : eligible) : rng.pick(eligible);
    if (i % 6 === 0 && inFirst.length) school = inFirst[0]!;
    const demoTeacher = i % 16 === 1 && demoTeacherSchool ? demoTeacherSchool : null;
    if (demoTeacher) school = demoTeacher;
    // the first few are fixed showcase resources (published) at a school of the right stage
    const show = SHOWCASE[i];
    const showTopic = show ? TOPICS.find((t) => t.name === show.topic) : undefined;
    if (show && showTopic) {
      const fits = (s: (typeof eligible)[number]) => STAGES_OF_TYPE[s.type]!.includes(showTopic.stage);
      school = inFirst.find(fits) ?? eligible.find(fits) ?? school;
    }
    const stages = STAGES_OF_TYPE[school.type]!;
    const topics = TOPICS.filter((t) => stages.includes(t.stage));
    const g = generateResource(rng, topics, 4, show && showTopic && stages.includes(showTopic.stage) ? { topic: showTopic, kind: show.kind } : undefined);
    const teachers = teachersOf.get(school.id)!;
    const author = demoTeacher ? DEMO_TEACHER : rng.pick(teachers);
    const alliance = allianceOf.get(school.id)!;
    let status: Status = show ? 'published' : weighted(rng, STATUS_WEIGHTS);
    const created = addDays(today, -rng.int(12, 420));
    const at = (day: string, minutes: number) => instant(day, 60 + (minutes % 600));
    const createdAt = at(created, i * 7);
    const reviewers = reviewersOf.get(alliance) ?? [];
    const subjectReviewer = reviewers.find((r) => r.subject === g.topic.subject && r.user !== author) ?? reviewers.find((r) => r.user !== author);
    const decider = subjectReviewer?.user ?? (adminsOf.get(alliance) ?? [])[0] ?? null;
    if (!decider && status !== 'draft') status = 'submitted';
    if (status === 'in_review' && !subjectReviewer) status = 'submitted';
    const visibility = weighted(rng, [
      ['alliance', 55],
      ['region', 25],
      ['public', 12],
      ['school', 8],
    ] as [Visibility, number][]);
    const licence = weighted(rng, [
      ['cc_by_nc_sa', 30],
      ['alliance_only', 25],
      ['cc_by', 15],
      ['cc_by_nc', 15],
      ['cc_by_sa', 8],
      ['cc_by_nc_nd', 7],
    ] as [Licence, number][]);

    // versions: v1 (+ v2 when a published resource is being revised)
    const v1 = `rv_${pad(++serial.ver, 6)}`;
    const submittedDay = addDays(created, rng.int(0, 4));
    const decidedDay = addDays(submittedDay, rng.int(1, 6));
    const wasPublished = ['published', 'withdrawn', 'archived', 'revising'].includes(status);
    rows.versions.push({
      id: v1,
      resource_id: id,
      number: 1,
      note: null,
      created_by: author,
      created_at: createdAt,
      published_at: wasPublished ? at(decidedDay, i) : null,
    });
    let v2: string | null = null;
    const reviseDay = addDays(decidedDay, rng.int(5, 30));
    if (status === 'revising') {
      v2 = `rv_${pad(++serial.ver, 6)}`;
      rows.versions.push({
        id: v2,
        resource_id: id,
        number: 2,
        note: '根据使用反馈补充了分层练习',
        created_by: author,
        created_at: at(reviseDay, i),
        published_at: null,
      });
    }

    // files
    const hasFiles = !(status === 'draft' && i % 3 === 0);
    const specs = hasFiles ? filesFor(g.kind, g, i, !!show) : [];
    const texts: string[] = [];
    for (const [vid, list] of [[v1, specs], ...(v2 ? [[v2, specs.slice(0, 1)]] : [])] as [string, FileSpec[]][]) {
      list.forEach((f, pos) => {
        const fid = `rf_${pad(++serial.file, 6)}`;
        const key = `resources/${id}/${fid}`;
        rows.files.push({
          id: fid,
          resource_id: id,
          version_id: vid,
          role: f.role,
          position: pos,
          storage_key: key,
          name: f.name,
          mime: f.mime,
          size: 0,
          sha256: '',
          text: f.text,
          text_extracted: f.text !== null ? 1 : 0,
          pdf_key: null,
          created_at: vid === v1 ? createdAt : at(reviseDay, i),
        });
        blobs.push({ key, body: f.body, fileIndex: rows.files.length - 1 });
        if (vid === v1 && f.text) texts.push(f.text);
      });
    }

    // workflow, then use and feedback (seed/resource-activity.ts)
    const s = { rng, rows, serial, hid };
    const draft = { i, id, g, author, status, created, submittedDay, decidedDay, reviseDay, v1, v2, subjectReviewer, decider, at };
    const { finalStatus, reviewer, submittedAt, publishedAt } = seedWorkflow(s, draft);

    // use and feedback (only what others could see: live resources)
    const live = wasPublished && status !== 'withdrawn' && status !== 'archived';
    const liveOnce = wasPublished; // withdrawn/archived ones were used while they were published
    const { ratingSum, ratingCount, uses, views, downloads } = seedFeedback(s, draft, {
      today,
      publishedAt,
      liveOnce,
      alliance,
      schoolId: school.id,
      popular: school.id === inFirst[0]?.id,
      peers: (schoolsOf.get(alliance) ?? []).filter((x) => x !== school.id),
      teachersOf,
    });

    rows.resources.push({
      id,
      kind: g.kind,
      title: g.title,
      description: g.description,
      subject: g.topic.subject,
      stage: g.topic.stage,
      grade: g.topic.grade,
      textbook_edition: TEXTBOOK_EDITIONS.codes.includes(g.edition as never) ? g.edition : null,
      chapter: g.chapter,
      difficulty: g.difficulty,
      tags: toJson(g.tags),
      language: g.topic.subject === 'english' ? 'bilingual' : 'zh',
      licence,
      visibility,
      alliance_id: alliance,
      school_id: school.id,
      region_id: cityOf.get(schoolById.get(school.id)!.region_id) ?? school.region_id,
      created_by: author,
      status: finalStatus,
      current_version_id: wasPublished ? v1 : null,
      draft_version_id: wasPublished ? v2 : v1,
      reviewer_id: reviewer,
      submitted_at: submittedAt,
      published_at: publishedAt,
      views,
      downloads,
      uses,
      rating_sum: ratingSum,
      rating_count: ratingCount,
      created_at: createdAt,
      updated_at: rows.history[rows.history.length - 1]!.at!,
    });
    rows.authors.push({ id: hid('rau'), resource_id: id, user_id: author, name: '', position: 0 });
    if (live) {
      fts.push({ id, title: g.title, body: [g.description, g.tags.join(' '), g.chapter, ...texts].filter(Boolean).join('\n') });
    }
  }

  // author display names
  const names = new Map(
    (
      await db
        .selectFrom('users')
        .select(['id', 'display_name'])
        .where('id', 'in', [...new Set(rows.authors.map((a) => a.user_id!))])
        .execute()
    ).map((u) => [u.id, u.display_name]),
  );
  for (const a of rows.authors) a.name = names.get(a.user_id!) ?? '';

  // files first (a failed transaction leaves only unreferenced files, never rows without files)
  let next = 0;
  const worker = async () => {
    while (next < blobs.length) {
      const b = blobs[next++]!;
      const stored = await storage.put(b.key, b.body);
      rows.files[b.fileIndex]!.size = stored.size;
      rows.files[b.fileIndex]!.sha256 = stored.sha256;
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));

  await db.transaction().execute(async (tx) => {
    await insertBatched(tx, 'resources', rows.resources, 200);
    await insertBatched(tx, 'resource_authors', rows.authors);
    await insertBatched(tx, 'resource_versions', rows.versions);
    await insertBatched(tx, 'resource_files', rows.files, 200);
    await insertBatched(tx, 'resource_reviews', rows.reviews);
    await insertBatched(tx, 'resource_review_assignments', rows.assignments);
    await insertBatched(tx, 'resource_status_history', rows.history);
    await insertBatched(tx, 'resource_ratings', rows.ratings);
    await insertBatched(tx, 'resource_comments', rows.comments);
    await insertBatched(tx, 'resource_favourites', rows.favourites);
    await insertBatched(tx, 'resource_uses', rows.uses);
    await insertBatched(tx, 'resource_contributions', rows.contributions);
    await insertBatched(tx, 'resource_use_rewards', rows.rewards);
    await insertBatched(tx, 'resource_notifications', rows.notifications);
    await ftsInsertMany(tx, dialect, fts);
  });
  return { resources: rows.resources.length, files: rows.files.length, indexed: fts.length, ms: Date.now() - started };
}
