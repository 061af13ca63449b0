import { describe, expect, it } from 'vitest';
import {
  KIND_RULES,
  LICENCES,
  MAX_UPLOAD_BYTES,
  RESOURCE_KINDS,
  RESOURCE_STATUS,
  RUBRICS,
  VISIBILITY,
  WORKFLOW_STEPS,
  acceptedFamily,
  checkScores,
  downloadAllowed,
  formatBytes,
  monthRange,
  nextStatus,
  previewable,
  convertible,
  stageOfGrade,
  stepsFrom,
  visibleTo,
  type ReachFacts,
  type ResourceStatus,
  type WorkflowStep,
} from './resources.js';

describe('vocabularies', () => {
  it('has the kinds, licences and visibilities of SPEC S2 with their zh-CN labels', () => {
    expect(RESOURCE_KINDS.terms.map((t) => t.zh)).toEqual(['课例', '教学设计/教案', '课件', '微课', '试题/试卷', '校本课程', '案例集', '教研成果']);
    expect(LICENCES.label('alliance_only')).toBe('联盟内使用, 禁止转载');
    expect(LICENCES.codes).toHaveLength(7);
    expect(VISIBILITY.terms.map((t) => t.zh)).toEqual(['本校', '联盟', '区域', '公开']);
    for (const k of RESOURCE_KINDS.codes) {
      expect(RUBRICS[k].length, k).toBeGreaterThanOrEqual(5);
      expect(new Set(RUBRICS[k].map((i) => i.code)).size).toBe(RUBRICS[k].length);
    }
  });

  it('maps grades to stages', () => {
    expect(stageOfGrade('g1')).toBe('primary');
    expect(stageOfGrade('g6')).toBe('primary');
    expect(stageOfGrade('g7')).toBe('junior');
    expect(stageOfGrade('g9')).toBe('junior');
    expect(stageOfGrade('g10')).toBe('senior');
    expect(stageOfGrade('g12')).toBe('senior');
    expect(stageOfGrade('g13')).toBeNull();
    expect(stageOfGrade('x')).toBeNull();
  });
});

describe('workflow', () => {
  // every (status, step) pair: the expected next status, or null when refused
  const TABLE: Record<ResourceStatus, Partial<Record<WorkflowStep, ResourceStatus>>> = {
    draft: { submit: 'submitted', archive: 'archived', edit: 'draft' },
    submitted: { assign: 'in_review', publish: 'published', return: 'returned', withdraw: 'withdrawn' },
    in_review: { assign: 'in_review', publish: 'published', return: 'returned', withdraw: 'withdrawn' },
    published: { submit: 'submitted', withdraw: 'withdrawn', archive: 'archived', edit: 'published' },
    returned: { submit: 'submitted', withdraw: 'withdrawn', archive: 'archived', edit: 'returned' },
    withdrawn: { submit: 'submitted', archive: 'archived', edit: 'withdrawn' },
    archived: {},
  };
  for (const status of RESOURCE_STATUS.codes) {
    it(`from ${status}`, () => {
      for (const step of WORKFLOW_STEPS.codes) expect(nextStatus(status, step), `${status} + ${step}`).toBe(TABLE[status][step] ?? null);
      expect(stepsFrom(status).sort()).toEqual(Object.keys(TABLE[status]).sort());
    });
  }
  it('nothing under review can be edited; archived is final', () => {
    expect(nextStatus('in_review', 'edit')).toBeNull();
    expect(nextStatus('submitted', 'edit')).toBeNull();
    expect(stepsFrom('archived')).toEqual([]);
  });
});

describe('rubric scores', () => {
  const full = Object.fromEntries(RUBRICS.exam.map((i) => [i.code, 4]));
  it('accepts every item scored 1–5 and averages them', () => {
    expect(checkScores('exam', full)).toEqual({ errors: [], average: 4 });
    expect(checkScores('exam', { ...full, accuracy: 1, answers: 5 }).average).toBe(Math.round(((4 * 4 + 1 + 5) / 6) * 100) / 100);
  });
  it('names missing, unknown and out-of-range items', () => {
    const { errors } = checkScores('exam', { ...full, accuracy: 0, standards: 2.5, av_quality: 3, answers: undefined as never });
    expect(errors).toEqual(
      expect.arrayContaining([
        { item: 'answers', reason: 'missing' },
        { item: 'av_quality', reason: 'unknown' },
        { item: 'accuracy', reason: 'range' },
        { item: 'standards', reason: 'range' },
      ]),
    );
  });
  it('each kind has its own items (a video is judged on picture and sound, a test paper on answers)', () => {
    expect(RUBRICS.lesson_video.map((i) => i.code)).toContain('av_quality');
    expect(RUBRICS.exam.map((i) => i.code)).toContain('answers');
    expect(RUBRICS.school_course.map((i) => i.code)).toContain('outline');
  });
});

describe('file rules per kind', () => {
  it('allows video for lessons, not for test papers; office files for courseware', () => {
    expect(acceptedFamily('lesson_video', 'video/mp4')).toBe('video');
    expect(acceptedFamily('exam', 'video/mp4')).toBeNull();
    expect(acceptedFamily('courseware', 'application/vnd.openxmlformats-officedocument.presentationml.presentation')).toBe('slides');
    expect(acceptedFamily('lesson_plan', 'application/x-msdownload')).toBeNull();
    expect(acceptedFamily('school_course', 'image/png')).toBe('image');
  });
  it('limits sizes per kind: video ≤ 2 GiB, documents ≤ 100 MB', () => {
    expect(KIND_RULES.lesson_video.maxBytes).toBe(2 * 1024 ** 3);
    expect(KIND_RULES.lesson_plan.maxBytes).toBe(100 * 1024 ** 2);
    expect(MAX_UPLOAD_BYTES).toBe(2 * 1024 ** 3);
    expect(formatBytes(50 * 1024 ** 2)).toBe('50 MB');
    expect(formatBytes(2 * 1024 ** 3)).toBe('2 GB');
    expect(formatBytes(1536)).toBe('1.5 KB');
  });
  it('previews PDF, images, video and text inline; office files only once converted', () => {
    expect(previewable('application/pdf')).toBe(true);
    expect(previewable('video/webm')).toBe(true);
    expect(previewable('application/msword')).toBe(false);
    expect(convertible('application/msword')).toBe(true);
    expect(convertible('image/png')).toBe(false);
  });
});

describe('visibility and licence', () => {
  const reach = (s: Partial<ReachFacts>): ReachFacts => ({ sameSchool: false, sameAlliance: false, sameRegion: false, signedIn: true, ...s });
  const actors = {
    ownSchool: reach({ sameSchool: true, sameAlliance: true, sameRegion: true }),
    alliance: reach({ sameAlliance: true, sameRegion: true }),
    region: reach({ sameRegion: true }),
    outsider: reach({}),
  };
  const expected: Record<string, Record<keyof typeof actors, boolean>> = {
    school: { ownSchool: true, alliance: false, region: false, outsider: false },
    alliance: { ownSchool: true, alliance: true, region: false, outsider: false },
    region: { ownSchool: true, alliance: true, region: true, outsider: false },
    public: { ownSchool: true, alliance: true, region: true, outsider: true },
  };
  for (const v of VISIBILITY.codes) {
    it(`${VISIBILITY.label(v)}`, () => {
      for (const [who, f] of Object.entries(actors)) expect(visibleTo(v, f), who).toBe(expected[v]![who as keyof typeof actors]);
    });
  }
  it('"联盟内使用, 禁止转载" downloads only inside the alliance; Creative Commons everywhere it is visible', () => {
    expect(downloadAllowed('alliance_only', actors.alliance)).toBe(true);
    expect(downloadAllowed('alliance_only', actors.ownSchool)).toBe(true);
    expect(downloadAllowed('alliance_only', actors.region)).toBe(false);
    expect(downloadAllowed('alliance_only', actors.outsider)).toBe(false);
    for (const l of LICENCES.codes.filter((c) => c !== 'alliance_only')) expect(downloadAllowed(l, actors.outsider)).toBe(true);
  });
});

describe('catalogue month', () => {
  it('is the month in China time', () => {
    expect(monthRange('2026-03')).toEqual({ from: '2026-02-28T16:00:00.000Z', to: '2026-03-31T16:00:00.000Z' });
    expect(monthRange('2026-12')).toEqual({ from: '2026-11-30T16:00:00.000Z', to: '2026-12-31T16:00:00.000Z' });
    expect(monthRange('2026-13')).toBeNull();
    expect(monthRange('2026-1')).toBeNull();
  });
});
