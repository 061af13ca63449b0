import { describe, expect, test } from 'vitest';
import ExcelJS from 'exceljs';
import { diagnose, shot, signIn } from './harness';
import { useBrowser } from './browser';

const openContext = useBrowser();
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** A school sheet as a district officer would fill it in: two good rows and one with an unknown school type. */
async function schoolsWorkbook(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('学校');
  ws.addRow(['学校标识码', '学校名称', '学校类型', '办学性质', '所在地类型', '学校标签', '在校生数', '教职工数']);
  ws.addRow(['3909990001', '临川市导入测试小学', '小学', '公办', '城区', '新建校', 620, 41]);
  ws.addRow(['3909990002', '临川市导入测试初级中学', '初级中学', '公办', '县城', '', 880, 73]);
  ws.addRow(['3909990003', '临川市导入测试大学堂', '大学堂', '公办', '城区', '', 300, 20]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('Excel import', () => {
  test('a broken row is shown with its reason and blocks the import; importing only the valid rows works', async () => {
    const ctx = await openContext();
    const page = await ctx.newPage();
    diagnose(page, 'import-page');
    await signIn(page, 'bureau');
    await page.getByTestId('menu-imports').click();
    await page.waitForURL((u) => u.pathname === '/imports');

    // step 1: schools into the officer's own region (preselected), the template is one click away
    await expect(page.getByTestId('import-template').getAttribute('href')).resolves.toBe('/api/imports/template?kind=schools');
    await page.getByTestId('import-next').click();

    // a file that is not a spreadsheet is refused with a reason
    const fileInput = page.locator('input[type=file]');
    await fileInput.setInputFiles({ name: '学校名单.xlsx', mimeType: XLSX, buffer: Buffer.from('\x89PNG\r\n\x1a\n\0\0\0\rIHDR', 'binary') });
    await expect(page.getByTestId('import-upload-error').innerText()).resolves.toContain('不是 Excel');

    // step 2: the real workbook
    await fileInput.setInputFiles({ name: '新建学校.xlsx', mimeType: XLSX, buffer: await schoolsWorkbook() });
    const preview = page.getByTestId('import-preview');
    await preview.waitFor();
    await expect(page.getByTestId('import-invalid-count').innerText()).resolves.toContain('1');

    // the broken row: spreadsheet row 4, highlighted, field and reason shown
    const bad = page.getByTestId('import-row-4');
    await expect(bad.getAttribute('data-valid')).resolves.toBe('false');
    await expect(bad.getAttribute('class')).resolves.toContain('xl-row-invalid');
    const problems = await page.getByTestId('import-problems-4').innerText();
    expect(problems).toContain('学校类型');
    expect(problems).toContain('取值无效');
    await expect(page.getByTestId('import-cell-error-4-type').innerText()).resolves.toBe('大学堂');
    for (const r of [2, 3]) await expect(page.getByTestId(`import-row-${r}`).getAttribute('data-valid')).resolves.toBe('true');
    await shot(page, 'import-preview');

    // importing everything is blocked while a row is invalid
    await expect(page.getByTestId('import-commit').isDisabled()).resolves.toBe(true);

    // step 3: only the valid rows, after an explicit confirmation
    await page.getByTestId('import-commit-valid').click();
    await page.locator('.ant-modal-confirm').getByText('2 行有效数据').waitFor();
    await page.getByTestId('import-confirm-ok').click();
    await expect(page.getByTestId('import-result').innerText()).resolves.toContain('已导入 2 条学校数据');
    await shot(page, 'import-result');

    // the schools list has the two new schools and not the broken one
    await page.goto(`/schools?q=${encodeURIComponent('导入测试')}`);
    const table = page.getByTestId('schools-table');
    await table.getByText('临川市导入测试小学', { exact: true }).waitFor();
    await table.getByText('临川市导入测试初级中学', { exact: true }).waitFor();
    const text = await table.innerText();
    expect(text).not.toContain('大学堂');
    expect(await table.locator('tbody tr[data-row-key]').count()).toBe(2);
    await ctx.close();
  });
});
