import { describe, expect, test } from 'vitest';
import type { Page } from 'playwright-core';
import { diagnose, shot, signIn } from './harness';
import { useBrowser } from './browser';

const openContext = useBrowser();
const ALLIANCE = '临川市实验小学教育集团';
const SCHOOL = '青山县石门镇中心小学';

async function statusText(page: Page) {
  return (await page.getByTestId('application-drawer').getByTestId('application-status').innerText()).trim();
}

async function waitStatus(page: Page, text: string) {
  await page.getByTestId('application-drawer').getByTestId('application-status').getByText(text, { exact: true }).waitFor();
}

describe('membership application', () => {
  test('principal2 applies, the secretariat evaluates, the council recommends, the bureau approves; the school becomes a member', async () => {
    // ---- the rural school: withdraws the seeded application and applies again through the form
    const p2 = await (await openContext()).newPage();
    diagnose(p2, 'membership-p2');
    await signIn(p2, 'principal2');
    await p2.getByTestId('menu-applications').click();
    await p2.waitForURL((u) => u.pathname === '/applications');
    const seeded = p2.getByTestId('applications-table').locator('tbody tr', { hasText: ALLIANCE }).filter({ hasText: '待联盟评估' });
    await seeded.first().waitFor();
    await seeded.first().locator('[data-testid^="application-open-"]').click();
    await waitStatus(p2, '待联盟评估');
    // a school admin has no review step, only the withdrawal
    expect(await p2.getByTestId('application-actions').count()).toBe(0);
    await p2.getByTestId('application-withdraw').click();
    await p2.getByTestId('application-confirm-ok').click();
    await waitStatus(p2, '已撤回');
    await p2.getByTestId('application-drawer').locator('.ant-drawer-close').click();
    await p2.getByTestId('application-drawer').waitFor({ state: 'hidden' });

    await p2.getByTestId('application-apply').click();
    const dialog = p2.locator('.ant-modal-content', { hasText: '申请加入联盟' });
    await dialog.waitFor();
    // the school is the principal's own; choose the alliance by searching its name
    await expect(dialog.locator('.ant-select-selection-item').first().innerText()).resolves.toBe(SCHOOL);
    await dialog.getByTestId('application-alliance').click();
    await p2.keyboard.type('实验小学教育集团');
    await p2.locator(`.ant-select-dropdown:visible .ant-select-item-option[title="${ALLIANCE}"]`).click();
    // too short a reason is refused in the form
    await dialog.getByTestId('application-reason').fill('想');
    await p2.getByTestId('application-submit').click();
    await dialog.getByText('请填写申请理由（至少 5 个字）').waitFor();
    const reason = '我校英语、科学专任教师紧缺，申请加入集团参与联合教研和送教活动。';
    await dialog.getByTestId('application-reason').fill(reason);
    await p2.getByTestId('application-submit').click();
    await waitStatus(p2, '待联盟评估');
    const id = new URL(p2.url()).searchParams.get('open');
    expect(id).toBeTruthy();
    await shot(p2, 'application-submitted');

    // ---- the alliance secretariat: evaluation, then the council recommendation
    const sec = await (await openContext()).newPage();
    diagnose(sec, 'membership-sec');
    await signIn(sec, 'secretary');
    const secretaryName = (await sec.getByTestId('user-name').innerText()).trim();
    await sec.goto('/applications?status=submitted');
    const open = sec.getByTestId(`application-open-${id}`);
    await expect(open.innerText()).resolves.toContain('办');
    await open.click();
    await waitStatus(sec, '待联盟评估');
    // rejecting without a comment is stopped before it reaches the server
    await sec.getByTestId('application-fail').click();
    await sec.getByText('不通过时必须填写意见').waitFor();
    await sec.getByTestId('application-comment').fill('办学条件核查属实，同意纳入集团帮扶。');
    await sec.getByTestId('application-pass').click();
    await waitStatus(sec, '待理事会推荐');
    // separation of duties: the secretary who evaluated cannot also recommend; the server says why
    await sec.getByTestId('application-comment').fill('我也推荐。');
    await sec.getByTestId('application-pass').click();
    await sec.getByText('职责分离').first().waitFor();
    await waitStatus(sec, '待理事会推荐');

    // ---- a council member (理事) of the group recommends
    const co = await (await openContext()).newPage();
    diagnose(co, 'membership-council');
    await signIn(co, 'council');
    await co.goto(`/applications?open=${id}`);
    await waitStatus(co, '待理事会推荐');
    await co.getByTestId('application-comment').fill('理事会审议同意，推荐报教育局审批。');
    await co.getByTestId('application-pass').click();
    await waitStatus(co, '待教育局审批');
    // the approval belongs to the bureau: no buttons for the alliance now
    await co.getByTestId('application-drawer').getByText('等待教育局审批办理').waitFor();
    expect(await co.getByTestId('application-pass').count()).toBe(0);

    // ---- the bureau approves
    const bu = await (await openContext()).newPage();
    diagnose(bu, 'membership-bu');
    await signIn(bu, 'bureau');
    await bu.goto(`/applications?open=${id}`);
    await waitStatus(bu, '待教育局审批');
    await bu.getByTestId('application-comment').fill('同意加入。');
    await bu.getByTestId('application-pass').click();
    await bu.getByTestId('application-confirm-ok').click();
    await waitStatus(bu, '已批准');
    // the decision history: who, when, why for every step
    const history = await bu.getByTestId('application-history').innerText();
    for (const s of ['提交申请', '联盟评估', '理事会推荐', '教育局审批', reason, '办学条件核查属实', '王建国', secretaryName, '韩立新']) {
      expect(history).toContain(s);
    }
    expect(history).toMatch(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
    await shot(bu, 'application-approved');
    expect(await statusText(bu)).toBe('已批准');

    // ---- the school is now a member on the alliance page
    await bu.getByTestId('application-drawer').getByRole('link', { name: ALLIANCE }).click();
    await bu.waitForURL(/\/alliances\/[^/?]+/);
    await bu.getByTestId('alliance-tabs').locator('.ant-tabs-tab[data-node-key="members"]').click();
    const row = bu.getByTestId('members-table').locator('tbody tr', { hasText: SCHOOL });
    await row.first().waitFor();
    expect(await row.count()).toBe(1);
    await shot(bu, 'alliance-new-member');
  });
});
