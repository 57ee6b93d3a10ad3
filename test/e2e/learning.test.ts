// The learning features in a real VS Code (code-server) in a real browser, as a user meets them:
// the workspace's .imap script in the Testing view, the "Learn mail protocols on the wire"
// walkthrough starting the sandbox, and knowledge-base hovers with RFC links in a script.
// Run by `npm run test:e2e` (scripts/e2e.mjs); each feature is its own test with a screenshot.
import assert from 'node:assert/strict';
import { connect as tcpConnect, createServer } from 'node:net';
import { after, before, describe, test, type TestContext } from 'node:test';
import { SCRIPT_FILE, startE2e, type E2eRun } from './harness/environment.js';
import { deliverTestMessage } from './harness/mail.js';
import type { Locator } from 'playwright-core';
import { waitFor, type Workbench } from './harness/workbench.js';

/** The ports the sandbox binds when started from VS Code (media/walkthrough/sandbox.md). */
const SANDBOX_DEFAULT_PORTS = { smtp: 2525, smtps: 2465, pop3: 1110, pop3s: 1995, imap: 1143, imaps: 1993 };

let run: E2eRun | undefined;
let startError: unknown;

function workbench(): Workbench {
  if (!run) {
    const why = startError instanceof Error ? startError.message : String(startError);
    throw new Error(`the workbench did not start: ${why}`);
  }
  return run.workbench;
}

async function shot(t: TestContext, wb: Workbench, name: string): Promise<void> {
  // Notifications and hovers fade in; let them settle so the picture shows what a user reads.
  await wb.page.waitForTimeout(400);
  t.diagnostic(`screenshot: ${await wb.screenshot(name)}`);
}

/** A feature as its own test: a screenshot and the page's HTML on failure, a tidy workbench after. */
function feature(name: string, body: (t: TestContext, wb: Workbench) => Promise<void>): void {
  test(name, async (t) => {
    const wb = workbench();
    try {
      await body(t, wb);
    } catch (error) {
      const slug = name.replace(/\W+/g, '-').slice(0, 40);
      await shot(t, wb, `FAILED-${slug}`).catch(() => undefined);
      await wb.saveHtml(`FAILED-${slug}`).catch(() => undefined);
      throw error;
    } finally {
      await wb.tidy().catch(() => undefined);
    }
  });
}

describe('Mailwire learning features in code-server and Chromium', { timeout: 6 * 60_000 }, () => {
  before(async () => {
    try {
      run = await startE2e();
      // A message in alice's INBOX, so the script's FETCH 1:* holds and only its LOGOUT line fails.
      await deliverTestMessage(run.sandbox.ports.smtp, 'Quarterly report', 'A message to fetch.');
    } catch (error) {
      startError = error;
    }
  });

  after(async () => {
    await run?.stop();
  });

  feature(
    'Test Explorer: the .imap script is a test; running it shows the failed expectation',
    async (t, wb) => {
      // With the script open (which activates the extension), the beaker shows its test controller.
      await wb.openFromExplorer(SCRIPT_FILE, /^@connect imap:/);
      const item = wb.page.locator('.activitybar li.action-item', {
        has: wb.page.locator('a[aria-label="Testing"]'),
      });
      const beaker = item.locator('a').first();
      await beaker.waitFor({ state: 'visible', timeout: 30_000 });
      if ((await item.getAttribute('aria-selected')) !== 'true') await beaker.click();
      const file = await testRow(wb, SCRIPT_FILE);
      await expand(file);
      // Its child: the @connect block, holding the expectations.
      const block = await testRow(wb, '@connect imap://127.0.0.1:');
      assert.match((await file.getAttribute('aria-label')) ?? '', /Not yet run/);
      await shot(t, wb, 'test-explorer');

      await wb.runCommand('Test: Run All Tests');
      await waitFor(
        'the script test to be reported failed',
        async () => (/\(Failed\)$/.test((await file.getAttribute('aria-label')) ?? '') ? true : undefined),
        45_000,
      ).catch(async (error: unknown) => {
        throw new Error(`${String(error)}; the Test Explorer shows: ${(await testRows(wb)).join(' | ')}`);
      });
      await expand(block);
      const wrong = await testRow(wb, 'S: a4 NO');
      const rows = await testRows(wb);
      t.diagnostic(`Test Explorer: ${rows.join(' | ')}`);
      assert.match(
        (await wrong.getAttribute('aria-label')) ?? '',
        /\(Failed\)$/,
        'the wrong expectation failed',
      );
      // Only the deliberately wrong expectation fails; the ones that hold pass.
      const expectations = rows.filter((r) => r.startsWith('S: '));
      assert.equal(expectations.length, 7, `every expectation is listed: ${expectations.join(' | ')}`);
      assert.deepEqual(
        expectations.filter((r) => !r.endsWith('(Passed)')),
        ['S: a4 NO  (a4 LOGOUT) (Failed)'],
      );
      // The Test Results panel gives the failure's message, naming the expectation and the reply.
      const message = await waitFor('the failure message in Test Results', async () => {
        const results = wb.page.locator('.part.panel .monaco-list-row').filter({ visible: true });
        for (let i = 0; i < (await results.count()); i++) {
          const text = await results.nth(i).innerText();
          if (text.startsWith('S: a4 NO')) return text;
        }
        return undefined;
      });
      t.diagnostic(`Test Results: ${message}`);
      assert.match(message, /expected a line starting with "a4 NO", got: "a4 OK LOGOUT/);
      await shot(t, wb, 'test-explorer-failed');
    },
  );

  feature(
    'Walkthrough: its steps are listed and "Start Sandbox Server" starts the sandbox',
    async (t, wb) => {
      await wb.runCommand('Welcome: Open Walkthrough...');
      await wb.pickQuickItemContaining('Learn mail protocols on the wire');
      const page = wb.page.locator('.gettingStartedContainer');
      await page.waitFor({ state: 'visible', timeout: 15_000 });
      const titles = await waitFor('the walkthrough steps', async () => {
        const shown = (await page.locator('.getting-started-step .step-title').allTextContents()).map((s) =>
          s.trim(),
        );
        return shown.length >= 5 ? shown : undefined;
      });
      assert.deepEqual(titles, [
        'Start the sandbox mail server',
        'Send a message with SMTP',
        'Download it with POP3: keep versus delete',
        'Manage it with IMAP: folders, flags, two sessions and IDLE',
        'STARTTLS versus implicit TLS, and the ports',
      ]);
      // The first step's media: the sandbox's ports, in a webview beside the steps.
      await waitFor('the sandbox step to show its ports', async () =>
        /127\.0\.0\.1:1143/.test((await wb.webview().locator('body').textContent()) ?? '') ? true : undefined,
      );

      // The sandbox started from VS Code binds fixed ports; a busy one would fail the step for
      // reasons that are not the product's.
      await assertPortsFree();
      const button = page.locator('.getting-started-step a, .getting-started-step button', {
        hasText: 'Start Sandbox Server',
      });
      await button.first().click();
      try {
        const n = await wb.waitForNotification(/sandbox server/i, 20_000);
        assert.match(n.message, /sandbox server started\. Mailwire sandbox listening on 127\.0\.0\.1/);
        assert.equal(n.severity, 'info');
        const greeting = await firstLine(SANDBOX_DEFAULT_PORTS.imap);
        t.diagnostic(`127.0.0.1:${SANDBOX_DEFAULT_PORTS.imap} says: ${greeting}`);
        assert.match(greeting, /^\* OK .*Mailwire sandbox/);
        await shot(t, wb, 'walkthrough-sandbox-started');
      } catch (error) {
        // Stopped either way; this failure is the one to report, not a stop that cannot run.
        await stopSandbox(wb).catch(() => undefined);
        throw error;
      }
      await stopSandbox(wb);
    },
  );

  feature(
    'Hover: a verb and a reply in the .imap script explain themselves with an RFC link',
    async (t, wb) => {
      await wb.openFromExplorer(SCRIPT_FILE, /^@connect imap:/);
      const login = await hoverWord(
        wb,
        'C: a1 LOGIN',
        'LOGIN',
        /^LOGIN \(IMAP command\): Logs in with a user name/,
      );
      assert.deepEqual(login.links, [
        ['RFC 9051 section 6.2.3', 'https://www.rfc-editor.org/rfc/rfc9051#section-6.2.3'],
      ]);
      await shot(t, wb, 'hover-verb');
      const ok = await hoverWord(wb, 'S: * OK', 'OK', /^OK \(IMAP response\): Success/);
      assert.deepEqual(ok.links, [
        ['RFC 9051 section 7.1.1', 'https://www.rfc-editor.org/rfc/rfc9051#section-7.1.1'],
      ]);
      t.diagnostic(`hover: ${ok.text}`);
      await shot(t, wb, 'hover-reply');
    },
  );
});

/** Expands a tree row (its twistie), waiting until it says so. */
async function expand(row: Locator): Promise<void> {
  await waitFor('the row to expand', async () => {
    if ((await row.getAttribute('aria-expanded')) === 'true') return true;
    await row.locator('.monaco-tl-twistie').click();
    return undefined;
  });
}

/**
 * Points the mouse at `word` on the editor line starting with `lineStart`, and returns the hover
 * that opens for it once it reads `expected`: its text and its links (label, target).
 */
async function hoverWord(
  wb: Workbench,
  lineStart: string,
  word: string,
  expected: RegExp,
): Promise<{ text: string; links: Array<[string, string]> }> {
  const line = wb.page
    .locator('.editor-group-container.active .view-line')
    .filter({ hasText: new RegExp(`^${escapeRegExp(lineStart).replace(/ /g, '[ \\u00a0]')}`) });
  const span = line.locator('span span', { hasText: new RegExp(`^${word}$`) }).first();
  const box = await span.boundingBox();
  assert.ok(box, `"${word}" is drawn on the line "${lineStart}"`);
  // Away first, so a hover left open from another word closes; then onto the word.
  await wb.page.mouse.move(box.x + box.width / 2, box.y + box.height * 6);
  const hover = wb.page.locator('.monaco-editor .monaco-hover').filter({ visible: true }).first();
  return waitFor(`the hover for ${word}`, async () => {
    await wb.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    const text = ((await hover.textContent({ timeout: 1_000 })) ?? '').trim();
    if (!expected.test(text)) return undefined;
    const anchors = hover.locator('a');
    const links: Array<[string, string]> = [];
    for (let i = 0; i < (await anchors.count()); i++) {
      const a = anchors.nth(i);
      // Monaco keeps a hover link's target in data-href (it opens it through the opener service).
      links.push([((await a.textContent()) ?? '').trim(), (await a.getAttribute('data-href')) ?? '']);
    }
    return { text, links };
  });
}

/** Mailwire: Stop Sandbox Server, then checks it said so and let the ports go. */
async function stopSandbox(wb: Workbench): Promise<void> {
  await wb.clearNotifications().catch(() => undefined);
  await wb.runCommand('Mailwire: Stop Sandbox Server');
  await wb.waitForNotification(/sandbox server stopped/);
  await waitFor('the sandbox ports to be free again', () =>
    assertPortsFree().then(
      () => true,
      () => undefined,
    ),
  );
}

async function assertPortsFree(): Promise<void> {
  for (const [service, port] of Object.entries(SANDBOX_DEFAULT_PORTS)) {
    await new Promise<void>((resolve, reject) => {
      const server = createServer();
      server.once('error', (error: Error) =>
        reject(
          new Error(
            `port ${port} (the sandbox's ${service}) on 127.0.0.1 is busy, so the walkthrough's sandbox cannot start: ${error.message}`,
          ),
        ),
      );
      server.listen(port, '127.0.0.1', () => server.close(() => resolve()));
    });
  }
}

/** The first line a server sends on 127.0.0.1:`port` (its greeting). */
function firstLine(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = tcpConnect(port, '127.0.0.1');
    let text = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no greeting on 127.0.0.1:${port} within 5 s`));
    }, 5_000);
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('latin1');
      const end = text.indexOf('\r\n');
      if (end >= 0) {
        clearTimeout(timer);
        socket.destroy();
        resolve(text.slice(0, end));
      }
    });
    socket.on('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`127.0.0.1:${port}: ${error.message}`));
    });
  });
}

/** Rows of the Test Explorer (its tree, not the quick input's list), as their aria-labels. */
async function testRows(wb: Workbench): Promise<string[]> {
  const rows = wb.page.locator('.test-explorer .monaco-list-row');
  const out: string[] = [];
  for (let i = 0; i < (await rows.count()); i++)
    out.push((await rows.nth(i).getAttribute('aria-label')) ?? '');
  return out;
}

async function testRow(wb: Workbench, text: string) {
  const row = wb.page.locator('.test-explorer .monaco-list-row', { hasText: text }).first();
  await row.waitFor({ state: 'visible', timeout: 20_000 }).catch(async (error: unknown) => {
    throw new Error(
      `no Test Explorer row "${text}" (${String(error)}); rows: ${(await testRows(wb)).join(' | ')}`,
    );
  });
  return row;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
