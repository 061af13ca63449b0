/**
 * The "done when" (SPEC S3): a teacher of a rural member school finds a free chemistry lab in the
 * core school, books a weekly slot for the rest of the term (conflicting dates skipped), the owner approves
 * in the inbox, credits move from the rural school to the core school, and the bookings appear in the
 * teacher's iCalendar feed, parsed with ical.js.
 */
import { describe, expect, test } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import ICAL from 'ical.js';
import { DESKTOP, diagnose, PHONE, shot, signIn } from './harness';
import { useBrowser } from './browser';

const openContext = useBrowser();
const LAB = '临川一中化学实验室（一）';
const RURAL = 's_00034'; // 青山县石门镇中学 (农村校, member of 临川一中城乡教育共同体)
const CORE = 's_00010'; // 临川市第一中学 (core school)
const ALLIANCE = 'a_0002';
const PURPOSE = '九年级化学分组实验：二氧化碳的制取（石门镇中学送课进城）';
const TERM_END = '2027-01-22';

const pad = (n: number) => String(n).padStart(2, '0');
/** Beijing-time date `days` from now, moved forward to the next Thursday. */
function nextThursday(days: number): string {
  const d = new Date(Date.now() + 8 * 3600_000 + days * 86_400_000);
  while (d.getUTCDay() !== 4) d.setUTCDate(d.getUTCDate() + 1);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** antd puts data-testid on the <input> for some inputs and on a wrapper for others. */
async function inputOf(l: Locator): Promise<Locator> {
  return (await l.evaluate((el) => el.tagName)) === 'INPUT' ? l : l.locator('input').first();
}

async function balances(page: Page): Promise<Record<string, number>> {
  await page.goto(`/credits?allianceId=${ALLIANCE}&tab=accounts`);
  await page.getByTestId(`balance-${RURAL}`).waitFor();
  const read = async (id: string) => Number((await page.getByTestId(`balance-${id}`).innerText()).replace(/[^\d-]/g, ''));
  return { rural: await read(RURAL), core: await read(CORE) };
}

describe('booking a lab across schools', () => {
  test('rural teacher books the core school chemistry lab weekly; the owner approves; credits move; the iCal feed shows it', async () => {
    // ---- the alliance secretariat sees the balances before
    const sec = await (await openContext()).newPage();
    diagnose(sec, 'booking-sec');
    await signIn(sec, 'sec_a_0002');
    const before = await balances(sec);

    // ---- the rural teacher finds a chemistry lab in the core school
    const tch = await (await openContext()).newPage();
    diagnose(tch, 'booking-teacher');
    await signIn(tch, 'rural_teacher');
    await tch.getByTestId('menu-facilities').click();
    await tch.waitForURL((u) => u.pathname === '/facilities');
    await tch.getByTestId('fac-filter-type').click();
    await tch.keyboard.type('化学');
    await tch.locator('.ant-select-dropdown:visible .ant-select-item-option[title="化学实验室"]').click();
    await (await inputOf(tch.getByTestId('fac-filter-near'))).click();
    await tch.waitForURL((u) => u.searchParams.get('near') === '1');
    const search = await inputOf(tch.getByTestId('fac-filter-q'));
    await search.fill('临川一中');
    await search.press('Enter');
    const card = tch.getByTestId('fac-card').filter({ hasText: LAB });
    await card.waitFor();
    // nearest first: the own school's lab comes before the city's
    await shot(tch, 'booking-1-find-1366');
    await card.click();
    await tch.waitForURL((u) => u.pathname.startsWith('/facilities/'));
    await tch.getByTestId('page-title').getByText(LAB).waitFor();
    await tch.getByTestId('fac-safety').getByText('护目镜').waitFor();
    await tch.getByTestId('week-calendar').waitFor();
    await shot(tch, 'booking-2-detail-1366');

    // ---- weekly for the rest of the term: preview shows each date, some are taken or closed
    const first = nextThursday(8);
    await tch.getByTestId('book-open').click();
    const modal = tch.locator('.ant-modal-content').filter({ hasText: LAB });
    await modal.waitFor();
    await expect(modal.locator('.ant-select-selection-item').first().innerText()).resolves.toContain('临川一中城乡教育共同体');
    await modal.getByTestId('book-date').fill(first);
    await modal.getByTestId('book-start').fill('14:00');
    await modal.getByTestId('book-end').fill('16:00');
    await modal.getByTestId('book-weekly').click();
    await modal.getByTestId('book-until').fill(TERM_END > first ? TERM_END : first);
    await modal.getByTestId('book-purpose').fill(PURPOSE);
    await (await inputOf(modal.getByTestId('book-group'))).fill('36');
    await tch.getByTestId('book-preview').click();
    await modal.getByTestId('book-preview-result').waitFor();
    const total = await modal.getByTestId('book-occurrences').locator('tbody tr.ant-table-row').count();
    const free = await modal.getByTestId('occ-free').count();
    expect(total).toBeGreaterThan(3);
    expect(free).toBeGreaterThan(1);
    await expect(modal.getByTestId('book-quote').innerText()).resolves.toMatch(/积分/);
    if (free < total) {
      // the user chooses: book all free dates
      await (await inputOf(modal.getByTestId('book-mode-all-free'))).check();
    }
    // the safety terms must be accepted
    await tch.getByTestId('book-submit').click();
    await modal.getByText('请先阅读并同意安全责任条款').waitFor();
    await shot(tch, 'booking-3-form-1366');
    await (await inputOf(modal.getByTestId('book-accept'))).check();
    await tch.getByTestId('book-submit').click();
    await tch.waitForURL((u) => u.pathname === '/bookings');
    const mine = await tch.request.get(`/api/bookings?scope=mine&from=${new Date().toISOString()}&pageSize=200`);
    const booked = ((await mine.json()).items as { id: string; purpose: string; status: string; start: string; seriesId: string | null }[]).filter(
      (b) => b.purpose === PURPOSE,
    );
    expect(booked.length).toBe(free);
    expect(booked.every((b) => b.status === 'pending' && b.seriesId)).toBe(true);
    await tch.getByTestId('my-bookings').getByText(LAB).first().waitFor();
    await shot(tch, 'booking-4-mine-1366');

    // ---- the owner (the core school's 教务主任) approves every date in the inbox
    const own = await (await openContext()).newPage();
    diagnose(own, 'booking-owner');
    await signIn(own, 'principal_1z');
    await own.getByTestId('menu-inbox').click();
    await own.waitForURL((u) => u.pathname === '/inbox');
    const rows = own.getByTestId('inbox-list').getByTestId('booking-row').filter({ hasText: PURPOSE });
    await rows.first().waitFor();
    expect(await rows.count()).toBe(booked.length);
    await shot(own, 'booking-5-inbox-1366');
    for (let left = booked.length; left > 0; left--) {
      await rows.first().getByTestId('inbox-approve').click();
      await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(left - 1);
    }

    // ---- credits moved from the rural school to the core school (host share; the rest to the pool)
    const after = await balances(sec);
    const charged = before.rural - after.rural;
    expect(charged).toBeGreaterThan(0);
    expect(after.core - before.core).toBeGreaterThan(0);
    expect(after.core - before.core).toBeLessThanOrEqual(charged);
    const list = await (await tch.request.get(`/api/bookings?scope=mine&from=${new Date().toISOString()}&pageSize=200`)).json();
    const approved = (list.items as { purpose: string; status: string; chargeAmount: number; start: string }[]).filter((b) => b.purpose === PURPOSE);
    expect(approved.every((b) => b.status === 'accepted')).toBe(true);
    expect(approved.reduce((s, b) => s + b.chargeAmount, 0)).toBe(charged);
    await shot(sec, 'booking-6-balances-1366');

    // the owner's statement names the paying school
    await own.goto(`/credits?allianceId=${ALLIANCE}&tab=statement`);
    const lines = own.getByTestId('statement-lines');
    await lines.getByText('青山县石门镇中学').first().waitFor();
    await expect(lines.getByTestId('statement-kind').filter({ hasText: '设施预约扣费' }).count()).resolves.toBeGreaterThan(0);
    await shot(own, 'booking-7-statement-1366');

    // ---- the teacher's private iCalendar feed carries the accepted bookings
    await tch.goto('/bookings');
    await tch.getByTestId('ical-link').click();
    const url = await tch.getByTestId('ical-url').inputValue();
    expect(url).toMatch(/\/api\/calendar\/feed\/.+\.ics$/);
    const res = await fetch(url.replace(/^https?:\/\/[^/]+/, new URL(tch.url()).origin));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/calendar/);
    const cal = new ICAL.Component(ICAL.parse(await res.text()));
    const events = cal
      .getAllSubcomponents('vevent')
      .map((v) => new ICAL.Event(v))
      .filter((e) => e.summary.includes(PURPOSE));
    expect(events.length).toBe(approved.length);
    const starts = events.map((e) => e.startDate.toJSDate().toISOString()).sort();
    expect(starts).toEqual(approved.map((b) => new Date(b.start).toISOString()).sort());
    for (const e of events) {
      expect(e.summary).toContain(LAB);
      expect(e.endDate.toJSDate().getTime() - e.startDate.toJSDate().getTime()).toBe(2 * 3600_000);
      expect(e.component.getFirstPropertyValue('status')).toBe('CONFIRMED');
    }
    await shot(tch, 'booking-8-ical-1366');

    // ---- the alliance dashboard: utilization with the goal line
    await sec.goto(`/utilization?allianceId=${ALLIANCE}`);
    await sec.getByTestId('util-report').waitFor();
    await sec.getByTestId('util-idle-alert').waitFor();
    await sec.locator('canvas').first().waitFor();
    await shot(sec, 'booking-9-utilization-1366');
  }, 240_000);

  test('the booking pages work on a phone (390 px)', async () => {
    const ctx = await openContext(PHONE);
    const tch = await ctx.newPage();
    diagnose(tch, 'booking-phone');
    await signIn(tch, 'rural_teacher');
    await tch.goto(`/facilities?type=chemistry_lab&q=${encodeURIComponent('临川一中')}`);
    await tch.getByTestId('fac-card').first().waitFor();
    await shot(tch, 'booking-phone-1-find-390');
    await tch.getByTestId('fac-card').filter({ hasText: LAB }).first().click();
    await tch.getByTestId('week-calendar').waitFor();
    await shot(tch, 'booking-phone-2-detail-390');
    await tch.getByTestId('book-open').click();
    await tch.getByTestId('book-date').waitFor();
    await shot(tch, 'booking-phone-3-form-390');
    await tch.keyboard.press('Escape');
    await tch.goto('/bookings');
    await tch.getByTestId('my-bookings').waitFor();
    await shot(tch, 'booking-phone-4-mine-390');
    // the page never scrolls sideways
    const width = await tch.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(PHONE.width + 1);

    const sec = await (await openContext(PHONE)).newPage();
    await signIn(sec, 'sec_a_0002');
    await sec.goto(`/utilization?allianceId=${ALLIANCE}`);
    await sec.getByTestId('util-report').waitFor();
    await shot(sec, 'booking-phone-5-utilization-390');
    await sec.goto(`/credits?allianceId=${ALLIANCE}`);
    await sec.getByTestId(`balance-${RURAL}`).waitFor();
    await shot(sec, 'booking-phone-6-credits-390');
    const own = await (await openContext(PHONE)).newPage();
    await signIn(own, 'principal_1z');
    await own.goto('/inbox');
    await own.getByTestId('inbox-list').waitFor();
    await shot(own, 'booking-phone-7-inbox-390');
    expect(DESKTOP.width).toBe(1366);
  }, 180_000);
});
