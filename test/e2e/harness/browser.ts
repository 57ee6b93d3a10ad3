// Debian's Chromium driven by playwright-core (which never downloads a browser of its own here).
import { chromium, type Browser, type Page } from 'playwright-core';

export interface RunningBrowser {
  readonly browser: Browser;
  readonly page: Page;
  stop(): Promise<void>;
}

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--disable-dev-shm-usage',
];

export async function openWorkbenchPage(executablePath: string, url: string): Promise<RunningBrowser> {
  let browser: Browser;
  try {
    browser = await chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS, timeout: 60_000 });
  } catch (error) {
    throw new Error(
      `Chromium (${executablePath}) could not start: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const stop = async (): Promise<void> => {
    await browser.close().catch(() => undefined);
  };
  try {
    const context = await browser.newContext({
      viewport: { width: 1400, height: 860 },
      deviceScaleFactor: 1,
    });
    // The clipboard is how a few helpers read text the workbench only shows on screen.
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: url });
    const page = await context.newPage();
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60_000 });
    await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
    return { browser, page, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
