import { afterAll, beforeAll, inject } from 'vitest';
import type { Browser } from 'playwright-core';
import { DESKTOP, launchBrowser, newContext } from './harness';

/**
 * One Chromium for a test file, started before its tests and closed after them. Returns a function that
 * opens a fresh browser context (its own cookies) on the test server, at desktop or phone size.
 */
export function useBrowser() {
  let browser: Browser | undefined;
  const baseUrl = inject('baseUrl');
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });
  return (viewport = DESKTOP) => newContext(browser!, baseUrl, viewport);
}
