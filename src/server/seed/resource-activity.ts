/**
 * What happens to one demo resource after it is written: the workflow 上传—审核—共享 (submit, assign, return
 * or publish, withdraw, archive, revise) and, while it is live, its use and feedback (ratings, comments,
 * favourites, "used in my class" reports, contributions and their rewards). Called in order by
 * seed/resources.ts; the PRNG is drawn in the same order as ever, so the demo stays the same.
 */
import type { Insertable } from 'kysely';
import type { DB } from '../db/schema.js';
import { toJson } from '../db/index.js';
import { RESOURCE_KINDS, RUBRICS, type ResourceStatus } from '../../common/resources.js';
import type { HistoryStep } from '../db/tables/resources.js';
import { addDays, type Rng } from './random.js';
import { COMMENTS, RETURN_COMMENTS, gradeLabel, subjectLabel, weighted, type GeneratedResource } from './resource-vocab.js';

export type Status = 'draft' | 'submitted' | 'in_review' | 'returned' | 'published' | 'withdrawn' | 'archived' | 'revising';

/** The rows of the demo resources, inserted in one transaction at the end. */
export interface ResourceRows {
  resources: Insertable<DB['resources']>[];
  authors: Insertable<DB['resource_authors']>[];
  versions: Insertable<DB['resource_versions']>[];
  files: Insertable<DB['resource_files']>[];
  reviews: Insertable<DB['resource_reviews']>[];
  assignments: Insertable<DB['resource_review_assignments']>[];
  history: Insertable<DB['resource_status_history']>[];
  ratings: Insertable<DB['resource_ratings']>[];
  comments: Insertable<DB['resource_comments']>[];
  favourites: Insertable<DB['resource_favourites']>[];
  uses: Insertable<DB['resource_uses']>[];
  contributions: Insertable<DB['resource_contributions']>[];
  rewards: Insertable<DB['resource_use_rewards']>[];
  notifications: Insertable<DB['resource_notifications']>[];
}

/** The run's shared state: the PRNG, the rows so far and the id counters. */
export interface Seeding {
  rng: Rng;
  rows: ResourceRows;
  serial: { hist: number; file: number; ver: number; misc: number };
  hid: (prefix: string) => string;
}

/** One resource as written so far. */
export interface Draft {
  i: number;
  id: string;
  g: GeneratedResource;
  author: string;
  status: Status;
  created: string;
  submittedDay: string;
  decidedDay: string;
  reviseDay: string;
  v1: string;
  v2: string | null;
  subjectReviewer: { user: string; subject: string | null } | undefined;
  decider: string | null;
  at: (day: string, minutes: number) => string;
}

/** The workflow of one resource: history, reviews, assignments and notifications. */
export function seedWorkflow(
  { rng, rows, serial, hid }: Seeding,
  { i, id, g, author, status, created, submittedDay, decidedDay, reviseDay, v1, v2, subjectReviewer, decider, at }: Draft,
): { finalStatus: ResourceStatus; reviewer: string | null; submittedAt: string | null; publishedAt: string | null } {
  const hist = (from: ResourceStatus | null, to: ResourceStatus, step: HistoryStep, actor: string | null, day: string, comment: string | null = null) =>
    rows.history.push({ resource_id: id, from_status: from, to_status: to, step, actor_id: actor, comment, at: at(day, ++serial.hist) });
  hist(null, 'draft', 'create', author, created);
  let finalStatus: ResourceStatus = status === 'revising' ? 'in_review' : status;
  let reviewer: string | null = null;
  let submittedAt: string | null = null;
  let publishedAt: string | null = null;
  if (status !== 'draft') {
    submittedAt = at(submittedDay, i + 30);
    hist('draft', 'submitted', 'submit', author, submittedDay);
    const assignee = subjectReviewer?.user ?? null;
    if (assignee) {
      hist('submitted', 'in_review', 'assign', null, submittedDay);
      reviewer = assignee;
    }
    const scores = Object.fromEntries(RUBRICS[g.kind].map((r) => [r.code, status === 'returned' ? rng.int(2, 3) : rng.int(4, 5)]));
    const vals = Object.values(scores);
    const average = Math.round((vals.reduce((a, b) => a + b, 0) / vals.length) * 100) / 100;
    if (status === 'returned') {
      const comment = rng.pick(RETURN_COMMENTS);
      rows.reviews.push({
        id: hid('rr'),
        resource_id: id,
        version_id: v1,
        reviewer_id: decider!,
        scores: toJson(scores),
        average,
        decision: 'return',
        comment,
        created_at: at(decidedDay, i),
      });
      if (assignee)
        rows.assignments.push({
          id: hid('ra'),
          resource_id: id,
          version_id: v1,
          reviewer_id: assignee,
          assigned_at: submittedAt,
          done_at: at(decidedDay, i),
          decision: 'return',
        });
      hist(assignee ? 'in_review' : 'submitted', 'returned', 'return', decider, decidedDay, comment);
      rows.notifications.push({
        user_id: author,
        kind: 'returned',
        resource_id: id,
        title: `资源被退回修改：${g.title}`,
        body: comment,
        created_at: at(decidedDay, i),
        read_at: null,
      });
      reviewer = decider;
    } else if (status === 'in_review' || status === 'submitted') {
      if (assignee) {
        rows.assignments.push({
          id: hid('ra'),
          resource_id: id,
          version_id: v1,
          reviewer_id: assignee,
          assigned_at: submittedAt,
          done_at: null,
          decision: null,
        });
        rows.notifications.push({
          user_id: assignee,
          kind: 'assigned',
          resource_id: id,
          title: `待审核：${g.title}`,
          body: `${subjectLabel(g.topic.subject)} · ${RESOURCE_KINDS.label(g.kind)}`,
          created_at: submittedAt,
          read_at: null,
        });
        finalStatus = 'in_review';
      } else {
        finalStatus = 'submitted';
      }
    } else {
      // published (then maybe withdrawn / archived / revised)
      publishedAt = at(decidedDay, i);
      rows.reviews.push({
        id: hid('rr'),
        resource_id: id,
        version_id: v1,
        reviewer_id: decider!,
        scores: toJson(scores),
        average,
        decision: 'publish',
        comment: average >= 4.5 ? '优秀资源，建议集团内推广使用。' : null,
        created_at: publishedAt,
      });
      if (assignee)
        rows.assignments.push({
          id: hid('ra'),
          resource_id: id,
          version_id: v1,
          reviewer_id: assignee,
          assigned_at: submittedAt,
          done_at: publishedAt,
          decision: 'publish',
        });
      hist(assignee ? 'in_review' : 'submitted', 'published', 'publish', decider, decidedDay);
      rows.notifications.push({
        user_id: author,
        kind: 'published',
        resource_id: id,
        title: `资源已发布：${g.title}`,
        body: null,
        created_at: publishedAt,
        read_at: publishedAt,
      });
      reviewer = decider;
      if (status === 'withdrawn' || status === 'archived') {
        const day = addDays(decidedDay, rng.int(10, 60));
        hist('published', status, status === 'withdrawn' ? 'withdraw' : 'archive', author, day, status === 'archived' ? '教材版本更新，归档旧版' : null);
      }
      if (status === 'revising') {
        hist('published', 'submitted', 'submit', author, reviseDay, '第2版：补充分层练习');
        reviewer = assignee;
        if (assignee) {
          hist('submitted', 'in_review', 'assign', null, reviseDay);
          rows.assignments.push({
            id: hid('ra'),
            resource_id: id,
            version_id: v2,
            reviewer_id: assignee,
            assigned_at: at(reviseDay, i),
            done_at: null,
            decision: null,
          });
        } else {
          finalStatus = 'submitted';
        }
      }
    }
  }
  return { finalStatus, reviewer, submittedAt, publishedAt };
}

/** Use and feedback of a resource that was published, by teachers of the other schools of its alliance. */
export function seedFeedback(
  { rng, rows, hid }: Seeding,
  { id, g, author, decidedDay, v1, at }: Draft,
  where: {
    today: string;
    publishedAt: string | null;
    liveOnce: boolean;
    alliance: string;
    schoolId: string;
    /** the first alliance's core school: its resources are used more */
    popular: boolean;
    /** the other schools of the alliance */
    peers: string[];
    teachersOf: Map<string, string[]>;
  },
): { ratingSum: number; ratingCount: number; uses: number; views: number; downloads: number } {
  const { today, publishedAt, liveOnce, alliance, schoolId, popular, peers, teachersOf } = where;
  let ratingSum = 0;
  let ratingCount = 0;
  let uses = 0;
  let views = 0;
  let downloads = 0;
  if (liveOnce && publishedAt) {
    const pool = [...new Set(peers.flatMap((s) => teachersOf.get(s) ?? []))].filter((u) => u !== author);
    const popularity = popular ? 1.6 : 1;
    const raters = rng.sample(pool, Math.min(pool.length, Math.round(rng.int(0, 7) * popularity)));
    const publishedDay = decidedDay;
    const span = Math.max(1, Math.round((Date.parse(today) - Date.parse(publishedDay)) / 86_400_000) - 1);
    for (const u of raters) {
      const stars = weighted(rng, [
        [5, 45],
        [4, 35],
        [3, 15],
        [2, 5],
      ] as [number, number][]);
      const day = addDays(publishedDay, rng.int(1, span));
      rows.ratings.push({ resource_id: id, user_id: u, stars, created_at: at(day, stars), updated_at: at(day, stars) });
      ratingSum += stars;
      ratingCount++;
    }
    for (const u of rng.sample(pool, Math.min(pool.length, rng.int(0, 2)))) {
      const day = addDays(publishedDay, rng.int(1, span));
      rows.comments.push({
        id: hid('rc'),
        resource_id: id,
        user_id: u,
        body: rng.pick(COMMENTS),
        created_at: at(day, 5),
        deleted_at: null,
        deleted_by: null,
      });
    }
    for (const u of rng.sample(pool, Math.min(pool.length, rng.int(0, 3)))) {
      rows.favourites.push({ resource_id: id, user_id: u, created_at: at(addDays(publishedDay, rng.int(1, span)), 9) });
    }
    const users = rng.sample(pool, Math.min(pool.length, Math.round(rng.int(0, 5) * popularity)));
    for (const u of users) {
      const day = addDays(publishedDay, rng.int(1, span));
      const useId = hid('ru');
      const userSchool = [...teachersOf.entries()].find(([, list]) => list.includes(u))?.[0] ?? null;
      rows.uses.push({
        id: useId,
        resource_id: id,
        version_id: v1,
        user_id: u,
        school_id: userSchool,
        class_note: rng.chance(0.5) ? `${gradeLabel(g.topic.grade)}${rng.int(1, 8)}班` : null,
        used_on: day,
        created_at: at(day, 11),
      });
      uses++;
      if (userSchool && userSchool !== schoolId) {
        rows.contributions.push({
          id: hid('rk'),
          resource_id: id,
          use_id: useId,
          owner_school_id: schoolId,
          author_id: author,
          using_school_id: userSchool,
          alliance_id: alliance,
          at: at(day, 11),
          transaction_id: null,
          amount: 0,
        });
        // the one reward per user and resource is taken (migration 009)
        rows.rewards.push({ resource_id: id, user_id: u, use_id: useId, created_at: at(day, 11) });
      }
    }
    views = ratingCount + uses + rng.int(3, 60);
    downloads = Math.min(views, uses + rng.int(0, 15));
  }
  return { ratingSum, ratingCount, uses, views, downloads };
}
