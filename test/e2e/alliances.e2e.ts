import { describe, expect, test } from 'vitest';
import { diagnose, shot, signIn } from './harness';
import { useBrowser } from './browser';

const openContext = useBrowser();

describe('browsing alliances', () => {
  test('list → detail → members, governance and documents tabs show the seeded data', async () => {
    const ctx = await openContext();
    const page = await ctx.newPage();
    diagnose(page, 'alliances-page');
    await signIn(page, 'bureau');
    await page.getByTestId('menu-alliances').click();
    await page.waitForURL((u) => u.pathname === '/alliances');

    const table = page.getByTestId('alliances-table');
    // the seeded city has several alliances of every kind
    await table.getByText('临川市实验小学教育集团', { exact: true }).waitFor();
    const rows = await table.locator('tbody tr[data-row-key]').count();
    expect(rows).toBeGreaterThanOrEqual(6);

    await table.getByText('临川市实验小学教育集团', { exact: true }).click();
    await page.waitForURL(/\/alliances\/[^/]+$/);
    await page.getByTestId('page-title').filter({ hasText: '临川市实验小学教育集团' }).waitFor();
    const tabs = page.getByTestId('alliance-tabs');

    // members: the core school and the members, and the school that left with its reason
    await tabs.locator('.ant-tabs-tab[data-node-key="members"]').click();
    const members = page.getByTestId('members-table');
    await members.getByText('临川市实验小学', { exact: true }).first().waitFor();
    const memberText = await members.innerText();
    expect(memberText).toContain('城东区新城小学');
    await shot(page, 'alliance-members');

    // governance: council with its chair, secretariat
    await tabs.locator('.ant-tabs-tab[data-node-key="governance"]').click();
    const gov = tabs.locator('.ant-tabs-tabpane-active');
    await gov.getByText('理事会', { exact: true }).first().waitFor();
    const govText = await gov.innerText();
    expect(govText).toContain('秘书处');
    expect(govText).toContain('理事长');
    await shot(page, 'alliance-governance');

    // documents: the charter and the cooperation agreement
    await tabs.locator('.ant-tabs-tab[data-node-key="documents"]').click();
    const docs = tabs.locator('.ant-tabs-tabpane-active');
    await docs.getByText('临川市实验小学教育集团章程').first().waitFor();
    await docs
      .getByText(/临川市实验小学教育集团合作协议（\d{4}—\d{4}年）/)
      .first()
      .waitFor();
    await shot(page, 'alliance-documents');
    await ctx.close();
  });
});
