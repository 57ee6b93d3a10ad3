// Workspace trust in a real VS Code (code-server) in a real browser: a folder whose authors the user
// does not trust opens in Restricted Mode, and its .imap script does not run, from the palette or
// from its CodeLens; nothing connects to the mail server the script names.
// Run by `npm run test:e2e` (scripts/e2e.mjs); its own code-server, with workspace trust on.
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, describe, test, type TestContext } from 'node:test';
import { SCRIPT_FILE, startE2e, type E2eRun } from './harness/environment.js';
import { waitFor, type Workbench } from './harness/workbench.js';

const REFUSAL = /scripts from this workspace run only after you trust it/;

let run: E2eRun | undefined;
let startError: unknown;

function started(): E2eRun {
  if (!run) {
    const why = startError instanceof Error ? startError.message : String(startError);
    throw new Error(`the workbench did not start: ${why}`);
  }
  return run;
}

async function shot(t: TestContext, wb: Workbench, name: string): Promise<void> {
  // Notifications fade in; let them settle so the picture shows what a user reads.
  await wb.page.waitForTimeout(400);
  t.diagnostic(`screenshot: ${await wb.screenshot(name)}`);
}

/** A step as its own test: a screenshot and the page's HTML on failure. */
function step(name: string, body: (t: TestContext, wb: Workbench, run: E2eRun) => Promise<void>): void {
  test(name, async (t) => {
    const current = started();
    const wb = current.workbench;
    try {
      await body(t, wb, current);
    } catch (error) {
      const slug = name.replace(/\W+/g, '-').slice(0, 40);
      await shot(t, wb, `FAILED-${slug}`).catch(() => undefined);
      await wb.saveHtml(`FAILED-${slug}`).catch(() => undefined);
      throw error;
    }
  });
}

describe('Mailwire in a workspace the user does not trust', { timeout: 5 * 60_000 }, () => {
  before(async () => {
    try {
      run = await startE2e({ settings: { 'security.workspace.trust.enabled': true } });
    } catch (error) {
      startError = error;
    }
  });

  after(async () => {
    await run?.stop();
  });

  step('opening the folder asks whether to trust its authors; "No" gives Restricted Mode', async (t, wb) => {
    const question = await waitFor(
      'the workspace trust question',
      async () => {
        const message = await wb.dialogMessage();
        return message && /trust the authors/i.test(message) ? message : undefined;
      },
      60_000,
    );
    t.diagnostic(`dialog: ${question}`);
    await shot(t, wb, 'untrusted-trust-question');
    await wb.clickDialogButton("No, I don't trust the authors");
    await wb.page
      .locator('.statusbar-item', { hasText: 'Restricted Mode' })
      .first()
      .waitFor({ state: 'visible', timeout: 15_000 });
  });

  step('"Mailwire: Run Script" refuses to run the script and nothing connects', async (t, wb, current) => {
    await wb.openFromExplorer(SCRIPT_FILE, /^@connect imap:/);
    await wb.runCommand('Mailwire: Run Script');
    const refusal = await wb.waitForNotification(REFUSAL);
    t.diagnostic(`notification: ${refusal.severity}: ${refusal.message}`);
    assert.equal(refusal.severity, 'warning');
    assert.match(refusal.message, /Manage Workspace Trust/);
    await shot(t, wb, 'untrusted-script-refused');
    await assertNothingRan(t, wb, current);
  });

  step('the "Run Script" CodeLens, if shown, does not run the script either', async (t, wb, current) => {
    await wb.clearNotifications();
    await wb.openFromExplorer(SCRIPT_FILE, /^@connect imap:/);
    const lens = wb.page.locator('.codelens-decoration a', { hasText: 'Run Script' }).first();
    // The editor draws its CodeLenses shortly after the text; wait for the provider's answer to be
    // drawn (the lens row) or for proof it drew none, not for a fixed time.
    const shown = await waitFor(
      'the CodeLens row to be drawn or known absent',
      async () => {
        if (await lens.isVisible()) return true;
        const any = await wb.page.locator('.monaco-editor .codelens-decoration').count();
        return any > 0 ? false : undefined;
      },
      10_000,
    ).catch(() => false);
    t.diagnostic(`"Run Script" CodeLens in Restricted Mode: ${shown ? 'shown' : 'not shown'}`);
    if (shown) {
      await lens.click();
      const refusal = await wb.waitForNotification(REFUSAL);
      assert.equal(refusal.severity, 'warning');
      await shot(t, wb, 'untrusted-codelens-refused');
    }
    await assertNothingRan(t, wb, current);
  });
});

/**
 * No session was opened: the Sessions view lists none, no transcript tab opened, no transcript
 * was written, and the script's lines carry no pass or fail marks.
 */
async function assertNothingRan(t: TestContext, wb: Workbench, current: E2eRun): Promise<void> {
  const lines = await wb.readEditorTokens();
  const marked = lines.filter((l) => l.decorations.some((d) => d.includes('✓') || d.includes('✗')));
  assert.deepEqual(
    marked.map((l) => l.text),
    [],
    'no expectation of the script was checked',
  );
  const tabs = (await wb.page.locator('.tabs-container .tab').allTextContents()).map((s) => s.trim());
  t.diagnostic(`editor tabs: ${tabs.join(' | ')}`);
  assert.deepEqual(
    tabs.filter((s) => !s.includes(SCRIPT_FILE)),
    [],
    'only the script is open (no transcript)',
  );
  // The harness points mailwire.transcript.directory here (a user setting, so it applies untrusted).
  const transcripts = join(dirname(current.workspace), 'transcripts');
  const written = existsSync(transcripts) ? readdirSync(transcripts, { recursive: true }) : [];
  assert.deepEqual(written, [], 'no transcript was written');
  await wb.openView('Mailwire');
  // The view's welcome text shows only while it lists no session (as the only view in its
  // container, its own header is hidden).
  const sessions = wb.page.locator('.pane', {
    has: wb.page.locator('.pane-header[aria-label^="Sessions"]'),
  });
  await sessions.getByText('No sessions yet.').waitFor({ state: 'visible', timeout: 15_000 });
  const rows = await wb.treeRows('Sessions');
  t.diagnostic(`Sessions view: ${rows.join(' | ') || 'no rows'}`);
  assert.deepEqual(rows, [], 'the Sessions view lists no session');
}
