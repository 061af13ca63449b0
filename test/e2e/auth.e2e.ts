import { describe, expect, test } from 'vitest';
import { DEMO_PASSWORD, PHONE, diagnose, shot, signIn } from './harness';
import { useBrowser } from './browser';

const openContext = useBrowser();

describe('sign-in', () => {
  test('a wrong password shows the error; the right one lands on the home page; sign-out returns to the login', async () => {
    const ctx = await openContext();
    const page = await ctx.newPage();
    diagnose(page, 'auth-page');
    await page.goto('/overview');
    // anonymous users are sent to the sign-in page, remembering where they wanted to go
    await page.waitForURL(/\/login/);

    await page.getByTestId('login-username').fill('bureau');
    await page.getByTestId('login-password').fill('not-the-password');
    await page.getByTestId('login-submit').click();
    const error = page.getByTestId('login-error');
    await expect(error.textContent()).resolves.toContain('用户名或密码错误');
    expect(new URL(page.url()).pathname).toBe('/login');
    // no session cookie was handed out
    expect((await ctx.cookies()).some((c) => c.name === 'xl_sid')).toBe(false);

    await page.getByTestId('login-password').fill(DEMO_PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.waitForURL((u) => u.pathname === '/overview');
    await expect(page.getByTestId('user-name').textContent()).resolves.toBe('王建国');
    await page.getByTestId('page-title').waitFor();
    expect((await ctx.cookies()).some((c) => c.name === 'xl_sid' && c.httpOnly)).toBe(true);
    await shot(page, 'home-bureau');

    await page.getByTestId('user-menu').click();
    const logout = page.getByRole('menuitem').filter({ has: page.getByTestId('logout') });
    await logout.waitFor({ state: 'visible' });
    // let the dropdown finish opening: a click during its opening animation does not reach the item
    await page.waitForTimeout(400);
    const [bye] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/api/auth/logout')), logout.click()]);
    expect(bye.status()).toBe(204);
    await page.waitForURL(/\/login/);
    // the session is gone on the server too: the app sends us back to the sign-in page
    await page.goto('/overview');
    await page.waitForURL(/\/login/);
    const me = await page.evaluate(async () => (await fetch('/api/auth/me')).status);
    expect(me).toBe(401);
    await ctx.close();
  });
});

describe('phone width', () => {
  test('at 390 px the navigation opens in a drawer and the page does not scroll sideways', async () => {
    const ctx = await openContext(PHONE);
    const page = await ctx.newPage();
    diagnose(page, 'auth-phone');
    await signIn(page, 'principal');
    // no side bar: the menu is behind the toggle
    await expect(page.getByTestId('side-menu').isVisible()).resolves.toBe(false);
    const toggle = page.getByTestId('menu-toggle');
    await toggle.waitFor();
    await toggle.click();
    const drawer = page.locator('.ant-drawer-open').getByTestId('side-menu');
    await drawer.waitFor();
    await shot(page, 'phone-drawer');
    await drawer.getByTestId('menu-alliances').click();
    await page.waitForURL((u) => u.pathname === '/alliances');
    // the drawer closes after navigating
    await page
      .locator('.ant-drawer-open')
      .waitFor({ state: 'detached' })
      .catch(async () => {
        await page.locator('.ant-drawer-content-wrapper').waitFor({ state: 'hidden' });
      });
    await page.getByTestId('alliances-table').getByText('临川市实验小学教育集团').first().waitFor();
    const widths = await page.evaluate(() => ({ doc: document.documentElement.scrollWidth, view: window.innerWidth }));
    expect(widths.view).toBe(390);
    expect(widths.doc).toBeLessThanOrEqual(390);
    await ctx.close();
  });
});
