import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type TestStack } from '../integration/harness.js';

/** Debian's package, which CI installs in .ci/run; Playwright's own browser downloads are not used. */
const CHROMIUM_PATH = '/usr/bin/chromium';

/** Headless, and without the background traffic (updates, sync, field trials) that Chromium starts itself. */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--no-default-browser-check',
  '--disable-default-apps',
  '--disable-extensions',
  '--disable-domain-reliability',
  '--disable-client-side-phishing-detection',
  '--disable-features=Translate,OptimizationHints,MediaRouter,AutofillServerCommunication,CertificateTransparencyComponentUpdater',
  // Chromium's own services still try a few Google hosts; resolving every name but loopback to nothing keeps
  // all of its traffic on this machine.
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost',
];

const SCREENSHOT_PATH = fileURLToPath(new URL('../artifacts/playground.png', import.meta.url));

// GraphiQL 4 reads the operation name 100 ms after the query editor changes, so a run started sooner after a
// tab switch sends the previous tab's operation name.
const OPERATION_NAME_SETTLE_MS = 500;

const chromiumInstalled = existsSync(CHROMIUM_PATH);
// In CI a missing browser fails the suite in beforeAll; on a developer's machine it is a visible skip.
const runBrowserTests = chromiumInstalled || Boolean(process.env.CI);
if (!runBrowserTests) {
  console.warn(`Skipping the playground browser tests: ${CHROMIUM_PATH} is missing (apt-get install chromium).`);
}

describe.runIf(runBrowserTests)('playground in Chromium', () => {
  let stack: TestStack;
  let userDataDir: string;
  let context: BrowserContext;
  let page: Page;
  const requestedUrls: string[] = [];
  const consoleErrors: string[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    if (!chromiumInstalled) {
      throw new Error(`${CHROMIUM_PATH} is missing; install Debian's chromium package, as .ci/run does`);
    }
    stack = await startStack({ environment: { GATEWAY_DEMO: 'true' } });
    userDataDir = mkdtempSync(join(tmpdir(), 'playground-chromium-'));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1400, height: 900 },
    });
    // A listener on the context receives the requests of every page and worker, a superset of page.on('request').
    context.on('request', (request) => requestedUrls.push(request.url()));
    page = context.pages()[0] ?? (await context.newPage());
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    // Chromium reports most CSP violations on the console by itself; this also catches the rest.
    await page.addInitScript({
      content: `document.addEventListener('securitypolicyviolation', (event) =>
        console.error('CSP violation: ' + event.violatedDirective + ' ' + event.blockedURI));`,
    });
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
    await stack?.close();
  });

  it('runs the orders example', async () => {
    await page.goto(stack.graphqlUrl);
    const tabTitles = page.locator('.graphiql-tab-button');
    await tabTitles.first().waitFor();
    expect(await tabTitles.allTextContents()).toEqual([
      'Products',
      'OrdersPage',
      'CustomersWithCartsAndOrders',
      'Stock',
      'CreateCredential',
    ]);

    await page.getByRole('tab', { name: 'OrdersPage' }).click();
    await page.waitForTimeout(OPERATION_NAME_SETTLE_MS);
    await page.getByRole('button', { name: /^Execute query/ }).click();

    const response = page.locator('.graphiql-response');
    await response.filter({ hasText: '"orderNumber"' }).waitFor({ timeout: 20_000 });
    const text = await response.textContent();
    expect(text).toContain('"totalCount": 1000');
    expect(text).toContain('"items"');
    expect(text).not.toContain('"errors"');

    mkdirSync(dirname(SCREENSHOT_PATH), { recursive: true });
    await page.screenshot({ path: SCREENSHOT_PATH });
  }, 60_000);

  it('shows schema docs', async () => {
    await page.getByRole('button', { name: 'Show Documentation Explorer' }).click();
    const docs = page.locator('.graphiql-doc-explorer');
    await docs.filter({ hasText: 'Root Types' }).waitFor();
    expect(await docs.textContent()).toContain('query: Query');
  });

  it('completes field names', async () => {
    await page.getByRole('button', { name: 'New tab' }).click();
    await page.locator('.graphiql-query-editor .CodeMirror').click();
    await page.keyboard.press('Control+A');
    await page.keyboard.type('{ ord');
    await page.keyboard.press('Control+Space');
    const hints = page.locator('.CodeMirror-hints');
    await hints.waitFor();
    expect(await hints.locator('li').allTextContents()).toContain('orders');
    await page.keyboard.press('Escape');
  });

  it('opens a dialog without a CSP violation', async () => {
    // GraphiQL's dialogs add a <style> element at run time, which only the page's nonce lets apply.
    await page.getByRole('button', { name: 'Open settings dialog' }).click();
    await page.getByRole('dialog').waitFor();
    const unstyledElements = await page.evaluate(
      "[...document.querySelectorAll('style')].filter((element) => !element.nonce).length",
    );
    expect(unstyledElements).toBe(0);
    await page.keyboard.press('Escape');
  });

  it('stores no request headers in the browser', async () => {
    const stored = (await page.evaluate(
      `({
        tabs: JSON.parse(localStorage.getItem('graphiql:tabState') ?? '{"tabs":[]}').tabs.map((tab) => tab.headers),
        history: JSON.parse(localStorage.getItem('graphiql:queries') ?? '{"queries":[]}').queries,
        headers: localStorage.getItem('graphiql:headers'),
      })`,
    )) as { tabs: unknown[]; history: Array<Record<string, unknown>>; headers: string | null };
    expect(stored.tabs.length).toBeGreaterThan(0);
    expect(stored.tabs.every((headers) => headers === null)).toBe(true);
    expect(stored.history.length).toBeGreaterThan(0);
    expect(stored.history.some((entry) => 'headers' in entry)).toBe(false);
    expect(stored.headers).toBeNull();
  });

  it('requests nothing outside the gateway', () => {
    const gatewayOrigin = new URL(stack.graphqlUrl).origin;
    const outside = requestedUrls.filter((url) => !url.startsWith('data:') && new URL(url).origin !== gatewayOrigin);
    expect(outside).toEqual([]);
    expect(requestedUrls).toContain(stack.graphqlUrl);
    expect(requestedUrls.some((url) => url.includes('/playground/assets/graphiql.min.'))).toBe(true);
  });

  it('logs no CSP violation or script error', () => {
    expect(consoleErrors).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
