/**
 * Course resource library (S2), "Done when" of the issue: a teacher uploads a PDF lesson plan and an MP4
 * lesson video and submits them; the alliance's math reviewer publishes them; a teacher of another member
 * school finds the PDF by a two-character word that is only inside the PDF's text, previews it, seeks in
 * the video and rates both; a teacher outside the alliance sees neither (empty search, direct URL → 404).
 */
import { describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { makePdf, sampleVideo } from '../../src/server/seed/resource-files';
import { diagnose, PHONE, shot, signIn } from './harness';
import { useBrowser } from './browser';

const openContext = useBrowser();

/** 折纸 is only in the PDF's body text: not in the title, the description or the tags, nor in the demo data. */
const WORD = '折纸';
const PDF_TITLE = '《轴对称图形》教学设计（五年级下册）';
const VIDEO_TITLE = '《轴对称图形》课堂实录';
const MEMBER = 't_3390102001_1'; // a teacher of 临川市实验小学, the core school of the author's alliance
const OUTSIDER = 't_3390102006_1'; // a teacher of 城东区东湖小学: same district, in no alliance

async function pick(page: Page, testid: string, option: string) {
  await page.getByTestId(testid).click();
  await page.locator(`.ant-select-dropdown:visible .ant-select-item-option[title="${option}"]`).click();
}

/** Fills the upload form, adds the file, saves and submits; returns the new resource's id. */
async function uploadAndSubmit(
  page: Page,
  r: { kind?: string; title: string; description: string; file: { name: string; mimeType: string; buffer: Buffer }; licence?: string; shot?: string },
) {
  await page.goto('/resources/new');
  await page.getByTestId('resource-form').waitFor();
  if (r.kind) await pick(page, 'resource-kind', r.kind);
  await page.getByTestId('resource-title-input').fill(r.title);
  await page.getByTestId('resource-description-input').fill(r.description);
  await pick(page, 'resource-subject', '数学');
  await pick(page, 'resource-stage', '小学');
  await pick(page, 'resource-grade', '五年级');
  await pick(page, 'resource-edition', '人教版');
  await page.getByTestId('resource-chapter').fill('第二单元 图形的运动');
  if (r.licence) await pick(page, 'resource-licence-input', r.licence);
  await page.locator('input[type=file]').setInputFiles(r.file);
  await page.getByTestId('resource-pending-files').getByText(r.file.name).waitFor();
  if (r.shot) await shot(page, r.shot);
  await page.getByTestId('resource-save-submit').click();
  await page.waitForURL((u) => /^\/resources\/[^/]+$/.test(u.pathname) && !u.pathname.endsWith('/new'), { timeout: 30_000 });
  const id = new URL(page.url()).pathname.split('/').pop()!;
  await page
    .getByTestId('resource-status')
    .filter({ hasText: /已提交|审核中/ })
    .waitFor();
  return id;
}

describe('course resources: upload → review → share → find', () => {
  test('a teacher shares a PDF and a video; the reviewer publishes; a member school finds, previews, seeks and rates; outsiders see nothing', {
    timeout: 300_000,
  }, async () => {
    const pdf = makePdf({
      title: '轴对称图形 教学设计',
      paragraphs: [
        '教学目标：通过折纸活动认识轴对称图形，能找出图形的对称轴。',
        '教学过程：学生把长方形纸对折，沿折痕剪一剪，展开后发现两边完全重合。',
        '课堂练习：判断下列图形是不是轴对称图形，并画出对称轴。',
      ],
      author: '陈晓燕',
    });
    const video = sampleVideo(0);
    expect(video, 'the sample video asset (src/server/seed/assets)').toBeTruthy();

    // ---- the author: two resources, submitted for review
    const author = await (await openContext()).newPage();
    diagnose(author, 'resources-author');
    await signIn(author, 'teacher');
    const pdfId = await uploadAndSubmit(author, {
      title: PDF_TITLE,
      description: '五年级数学：认识轴对称图形及其对称轴，动手操作与观察相结合。',
      file: { name: '轴对称图形教学设计.pdf', mimeType: 'application/pdf', buffer: pdf },
      shot: 'resource-upload-form-1366',
    });
    await author.waitForTimeout(2500); // the PDF viewer renders after the page
    await shot(author, 'resource-submitted-1366');
    const videoId = await uploadAndSubmit(author, {
      kind: '课例',
      title: VIDEO_TITLE,
      description: '五年级数学课例：轴对称图形，完整课堂实录。',
      file: { name: '轴对称图形课堂实录.mp4', mimeType: 'video/mp4', buffer: video! },
      licence: '联盟内使用, 禁止转载',
    });
    // my resources lists both, waiting for review
    await author.goto('/my-resources');
    await author.getByTestId(`mine-row-${pdfId}`).waitFor();
    await author.getByTestId(`mine-row-${videoId}`).waitFor();
    await shot(author, 'my-resources-1366');

    // ---- the alliance's math reviewer publishes both from the queue
    const reviewer = await (await openContext()).newPage();
    diagnose(reviewer, 'resources-reviewer');
    await signIn(reviewer, 'reviewer');
    await reviewer.getByTestId('menu-reviewQueue').click();
    await reviewer.waitForURL((u) => u.pathname === '/resource-reviews');
    await reviewer.getByTestId('queue-table').locator('tbody tr.ant-table-row').first().waitFor();
    // the queue is long (demo data): narrow it to the new lesson's title
    await reviewer.getByTestId('queue-search').fill('轴对称图形');
    await reviewer.getByTestId('queue-search').press('Enter');
    await reviewer.getByTestId(`queue-row-${pdfId}`).waitFor();
    await reviewer.getByTestId(`queue-row-${videoId}`).waitFor();
    await shot(reviewer, 'review-queue-1366');
    for (const id of [pdfId, videoId]) {
      await reviewer.goto(`/resource-reviews?q=${encodeURIComponent('轴对称图形')}`);
      await reviewer.getByTestId(`queue-open-${id}`).click();
      const form = reviewer.getByTestId('review-form');
      await form.waitFor();
      // publishing without scores is stopped in the form
      await reviewer.getByTestId('review-publish').click();
      await form.getByText('请为每一项质量标准评分').waitFor();
      const items = form.locator('[data-testid^="review-score-"]');
      const n = await items.count();
      expect(n).toBeGreaterThanOrEqual(3);
      for (let i = 0; i < n; i++)
        await items
          .nth(i)
          .locator('li.ant-rate-star')
          .nth(i % 2 ? 3 : 4)
          .click();
      await reviewer.getByTestId('review-comment').fill('目标明确，操作性强，同意发布。');
      if (id === pdfId) await shot(reviewer, 'review-form-1366');
      await reviewer.getByTestId('review-publish').click();
      await reviewer.getByTestId('resource-status').filter({ hasText: '已发布' }).waitFor();
      expect(await reviewer.getByTestId('review-form').count()).toBe(0);
    }

    // ---- a teacher of another member school finds the PDF by a word inside its text
    const member = await (await openContext()).newPage();
    diagnose(member, 'resources-member');
    await signIn(member, MEMBER);
    await member.getByTestId('menu-resources').click();
    await member.waitForURL((u) => u.pathname === '/resources');
    // a teacher's library opens with recommendations (资源找人)
    await member.getByTestId('resource-results').locator('[data-testid^="resource-card-"]').first().waitFor();
    await shot(member, 'library-home-1366');
    await member.getByTestId('resource-search').fill(WORD);
    await member.getByTestId('resource-search').press('Enter');
    const card = member.getByTestId(`resource-card-${pdfId}`);
    await card.waitFor();
    // the snippet comes from the PDF's text, with the word marked
    await expect(card.getByTestId('resource-snippet').locator('mark').first().innerText()).resolves.toBe(WORD);
    expect(await card.getByTestId('resource-card-title').innerText()).toContain('轴对称图形');
    await shot(member, 'library-search-1366');

    // preview: the PDF is shown inline from the preview URL
    const previewRes = member.waitForResponse((r) => r.url().includes(`/api/resources/${pdfId}/files/`) && r.url().endsWith('/preview'));
    await card.getByTestId('resource-card-title').click();
    await member.waitForURL((u) => u.pathname === `/resources/${pdfId}`);
    await member.getByTestId('preview-pdf').waitFor();
    const pr = await previewRes;
    expect(pr.status()).toBe(200);
    expect(pr.headers()['content-type']).toContain('application/pdf');
    // rating 4 of 5
    await member.getByTestId('resource-rate').locator('li.ant-rate-star').nth(3).click();
    await member.getByText('评分已保存').waitFor();
    await member.getByTestId('resource-rating').getByText('4.0').waitFor();
    // "用于我的课堂": a use by another school, counted on the resource
    await member.getByTestId('resource-use').click();
    await member.getByTestId('resource-use-note').fill('五年级（2）班 数学课');
    await member.getByTestId('resource-use-ok').click();
    await member.getByText('已登记课堂使用，感谢反馈').waitFor();
    await member.getByTestId('resource-stats').locator('.ant-statistic').nth(2).getByText('1', { exact: true }).waitFor();
    await member.waitForTimeout(1500);
    await shot(member, 'resource-pdf-1366');

    // the video: seek in it (HTTP Range) and rate it
    await member.goto(`/resources/${videoId}`);
    const videoEl = member.getByTestId('preview-video');
    await videoEl.waitFor();
    const seek = await videoEl.evaluate(async (el) => {
      const v = el as HTMLVideoElement;
      const ready = await new Promise<boolean>((resolve) => {
        if (v.readyState >= 1) return resolve(true);
        v.addEventListener('loadedmetadata', () => resolve(true), { once: true });
        v.addEventListener('error', () => resolve(false), { once: true });
        setTimeout(() => resolve(v.readyState >= 1), 15_000);
      });
      if (!ready) return { playable: false, duration: 0, time: 0 };
      const target = Math.min(2, v.duration / 2);
      const seeked = new Promise<void>((resolve) => v.addEventListener('seeked', () => resolve(), { once: true }));
      v.currentTime = target;
      await seeked;
      return { playable: true, duration: v.duration, time: v.currentTime };
    });
    if (seek.playable) {
      expect(seek.duration).toBeGreaterThan(0);
      expect(seek.time).toBeGreaterThan(0);
    }
    // whatever the codec support of this Chromium, the server answers a ranged request with 206 and the slice
    const src = await videoEl.getAttribute('src');
    expect(src).toMatch(/\/preview$/);
    const ranged = await member.evaluate(async (url) => {
      const res = await fetch(url, { headers: { Range: 'bytes=1000-1999' }, credentials: 'same-origin' });
      return { status: res.status, range: res.headers.get('content-range'), length: (await res.arrayBuffer()).byteLength };
    }, src!);
    expect(ranged).toEqual({ status: 206, range: `bytes 1000-1999/${video!.length}`, length: 1000 });
    await member.getByTestId('resource-rate').locator('li.ant-rate-star').nth(4).click();
    await member.getByText('评分已保存').waitFor();
    await member.getByTestId('resource-rating').getByText('5.0').waitFor();
    await shot(member, 'resource-video-1366');

    // the monthly catalogue lists both under 数学 this month
    await member.getByTestId('menu-catalogue').click();
    await member.waitForURL((u) => u.pathname === '/resource-catalogue');
    await member.getByTestId('catalogue-table').getByText(PDF_TITLE).waitFor();
    await member.getByTestId('catalogue-table').getByText(VIDEO_TITLE).waitFor();
    expect(await member.getByTestId('catalogue-export').getAttribute('href')).toMatch(/^\/api\/resources\/catalogue\.xlsx\?month=\d{4}-\d{2}$/);
    await shot(member, 'catalogue-1366');

    // ---- the same at phone width
    const phone = await (await openContext(PHONE)).newPage();
    diagnose(phone, 'resources-phone');
    await signIn(phone, MEMBER);
    await phone.goto(`/resources?q=${encodeURIComponent(WORD)}`);
    await phone.getByTestId(`resource-card-${pdfId}`).waitFor();
    await shot(phone, 'library-search-390');
    await phone.goto(`/resources/${pdfId}`);
    await phone.getByTestId('preview-pdf').waitFor();
    await phone.getByTestId('resource-rating').getByText('4.0').waitFor();
    await phone.waitForTimeout(2500);
    await shot(phone, 'resource-pdf-390');
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(1);

    // ---- a teacher outside the alliance sees neither
    const outsider = await (await openContext()).newPage();
    diagnose(outsider, 'resources-outsider');
    await signIn(outsider, OUTSIDER);
    await outsider.goto(`/resources?q=${encodeURIComponent(WORD)}`);
    await outsider.getByTestId('resource-empty').waitFor();
    expect(await outsider.getByTestId(`resource-card-${pdfId}`).count()).toBe(0);
    for (const id of [pdfId, videoId]) {
      await outsider.goto(`/resources/${id}`);
      await outsider.getByTestId('resource-not-found').waitFor();
    }
    // nor the files themselves
    const direct = await outsider.evaluate(async (id) => (await fetch(`/api/resources/${id}`, { credentials: 'same-origin' })).status, pdfId);
    expect(direct).toBe(404);
    await shot(outsider, 'resource-not-found-1366');
  });
});
