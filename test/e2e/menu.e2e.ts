import { describe, expect, test } from 'vitest';
import { MENU_PERMISSIONS, type MenuKey } from '../../src/web/app/permissions';
import { anyRoleHolds } from '../../src/common/permissions';
import type { Role } from '../../src/common/vocab';
import { diagnose, shot, signIn } from './harness';
import { useBrowser } from './browser';

const openContext = useBrowser();
const KEYS = Object.keys(MENU_PERMISSIONS) as MenuKey[];

/** The menu a demo user sees is the one the role table (src/common/permissions.ts) gives its role. */
describe('side menu follows the role table', () => {
  const cases: [string, Role][] = [
    ['teacher', 'teacher'],
    ['bureau', 'bureau_admin'],
  ];
  test.each(cases)('%s sees exactly the entries its role holds the permission of', async (username, role) => {
    const ctx = await openContext();
    const page = await ctx.newPage();
    diagnose(page, `menu-${username}`);
    await signIn(page, username);
    const menu = page.getByTestId('side-menu');
    await menu.getByTestId('menu-account').waitFor();
    const shown = new Set<string>();
    for (const el of await menu.locator('[data-testid^="menu-"]').all()) shown.add(((await el.getAttribute('data-testid')) ?? '').slice('menu-'.length));
    const expected = KEYS.filter((k) => anyRoleHolds([role], MENU_PERMISSIONS[k]));
    expect([...shown].sort()).toEqual([...expected].sort());
    await shot(page, `menu-${username}`);
    await ctx.close();
  });
});
