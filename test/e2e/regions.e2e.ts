/**
 * First run of a new installation, in the browser: an installation WITHOUT demo data (its own server,
 * SEED_ON_START=0, on SQLite or a fresh PostgreSQL schema like the shared one), the first platform admin
 * from `xiaolian create-admin`, the forced password change, the overview's "create your first region",
 * province → city → county in 区域管理, then a school in the new county. Nothing is written by hand.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { diagnose, launchBrowser, newContext, shot } from './harness';

const ROOT = path.resolve(import.meta.dirname, '../..');
const ENTRY = path.resolve(ROOT, process.env.E2E_SERVER_ENTRY ?? 'dist/server/main.js');
const NEW_PASSWORD = 'First#Run2026city';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

let server: ChildProcess | undefined;
let browser: Browser | undefined;
let baseUrl = '';
let password = '';
let log = '';
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'xl-e2e-first-'));
const schema = process.env.DATABASE_URL ? `e2e_first_${randomBytes(4).toString('hex')}` : null;

beforeAll(async () => {
  if (!fs.existsSync(ENTRY)) throw new Error(`${ENTRY} not found: run \`npm run build\` first`);
  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    SEED_ON_START: '0',
    LOG_LEVEL: 'warn',
    PUBLIC_URL: baseUrl,
  };
  if (schema) env.DATABASE_SCHEMA = schema;
  else delete env.DATABASE_URL;
  delete env.OIDC_ISSUER;
  // the operator's first steps (docs/deploy.md): migrate, then the first platform admin
  const migrated = spawnSync(process.execPath, [ENTRY, 'migrate'], { cwd: ROOT, env, encoding: 'utf8', timeout: 60_000 });
  if (migrated.status !== 0) throw new Error(`migrate failed: ${migrated.stdout}${migrated.stderr}`);
  const admin = spawnSync(process.execPath, [ENTRY, 'create-admin', 'cityadmin'], { cwd: ROOT, env, encoding: 'utf8', timeout: 60_000 });
  const m = /initial password[^:]*:\s*(\S+)/.exec(`${admin.stdout}${admin.stderr}`);
  if (admin.status !== 0 || !m) throw new Error(`create-admin failed: ${admin.stdout}${admin.stderr}`);
  password = m[1]!;

  server = spawn(process.execPath, [ENTRY, 'serve'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  server.stdout!.on('data', (b: Buffer) => (log += b.toString()));
  server.stderr!.on('data', (b: Buffer) => (log += b.toString()));
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (server.exitCode !== null) throw new Error(`server exited: ${log}`);
    if (Date.now() > deadline) throw new Error(`server not healthy: ${log}`);
    try {
      if ((await fetch(`${baseUrl}/healthz`)).ok) break;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  if (server && server.exitCode === null) {
    const exited = new Promise((r) => server!.once('exit', r));
    server.kill('SIGTERM');
    await exited;
  }
  if (schema && process.env.DATABASE_URL) {
    const pg = await import('pg');
    const client = new pg.default.Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    await client.query(`drop schema if exists "${schema}" cascade`);
    await client.end();
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** Fills the region form of the open modal and saves it. */
async function saveRegion(page: Page, code: string, name: string) {
  const dialog = page.locator('.ant-modal:visible');
  await dialog.getByTestId('region-form-code').fill(code);
  await dialog.getByTestId('region-form-name').fill(name);
  await dialog.getByTestId('region-form-submit').click();
  await page.getByTestId(`region-row-${code}`).waitFor();
  await dialog.waitFor({ state: 'hidden' });
}

async function pick(page: Page, testid: string, option: string) {
  await page.getByTestId(testid).click();
  await page.locator(`.ant-select-dropdown:visible .ant-select-item-option[title="${option}"]`).click();
}

describe('first run', () => {
  test('the first admin creates province → city → county in the UI and then a school in the county', async () => {
    const ctx = await newContext(browser!, baseUrl);
    const page = await ctx.newPage();
    diagnose(page, 'first-run');

    await page.goto('/login');
    await page.getByTestId('login-username').fill('cityadmin');
    await page.getByTestId('login-password').fill(password);
    await page.getByTestId('login-submit').click();
    // the initial password must be changed first
    await page.getByTestId('change-password-form').waitFor();
    await page.getByTestId('current-password').fill(password);
    await page.getByTestId('new-password').fill(NEW_PASSWORD);
    await page.getByTestId('confirm-password').fill(NEW_PASSWORD);
    await page.getByTestId('change-password-submit').click();

    // no region yet: the overview says what to do first
    await page.getByTestId('first-run').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('first-run').innerText()).toContain('创建第一个区域');
    await shot(page, 'first-run-overview');
    await page.getByTestId('first-run-create-region').click();
    await page.waitForURL((u) => u.pathname === '/regions');

    // a wrong code is refused with the reason on the field, nothing created
    const dialog = page.locator('.ant-modal:visible');
    await dialog.getByTestId('region-form-code').fill('360001');
    await dialog.getByTestId('region-form-name').fill('江西省');
    await dialog.getByTestId('region-form-submit').click();
    await dialog.getByText('6 位行政区划代码').waitFor();
    await saveRegion(page, '360000', '江西省');

    await page.getByTestId('region-add-360000').click();
    await expect(page.getByTestId('region-form-parent').innerText()).resolves.toContain('江西省');
    await saveRegion(page, '361000', '抚州市');
    await page.getByTestId('region-add-361000').click();
    await saveRegion(page, '361002', '临川区');
    // the county's code must start with its city's
    await page.getByTestId('region-add-361000').click();
    await page.locator('.ant-modal:visible').getByTestId('region-form-code').fill('362003');
    await page.locator('.ant-modal:visible').getByTestId('region-form-name').fill('错前缀县');
    await page.locator('.ant-modal:visible').getByTestId('region-form-submit').click();
    await page.locator('.ant-modal:visible').getByText('“3610”').waitFor();
    await page.locator('.ant-modal:visible .ant-modal-close').click();

    const table = await page.getByTestId('regions-table').innerText();
    for (const s of ['江西省', '抚州市', '临川区', '省级', '地市级', '区县级']) expect(table).toContain(s);
    expect(table).not.toContain('错前缀县');
    await shot(page, 'regions-tree');

    // a school in the new county
    await page.getByTestId('region-new-school-361002').click();
    await page.waitForURL((u) => u.pathname === '/schools/new');
    await page.locator('.ant-form-item:has(#regionId) .ant-select-selector').click();
    await page.locator('.ant-select-dropdown:visible .ant-select-tree-node-content-wrapper[title="临川区"]').click();
    await page.getByTestId('school-name').fill('临川区第一小学');
    await page.getByTestId('school-code').fill('3610020001');
    await pick(page, 'school-type', '小学');
    await pick(page, 'school-location', '城区');
    await page.getByTestId('school-save').click();
    await page.waitForURL((u) => /^\/schools\/[^/]+$/.test(u.pathname) && u.pathname !== '/schools/new');
    await page.getByText('临川区第一小学').first().waitFor();

    // the overview now shows the region instead of the first-run call to action
    await page.goto('/overview');
    await page.getByTestId('overview-totals').waitFor();
    expect(await page.getByTestId('first-run').count()).toBe(0);
    expect(await page.getByTestId('overview-totals').innerText()).toContain('1');
    await ctx.close();
  });
});
