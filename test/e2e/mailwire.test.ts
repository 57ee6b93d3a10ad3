// Mailwire in a real VS Code (code-server 4.100) in a real browser (Debian's Chromium), used the way
// a user does: palette commands, prompts, transcripts, the state view, scripts, and failures.
// Run by `npm run test:e2e` (scripts/e2e.mjs), which installs code-server and packages the .vsix.
// The steps share one workbench and run in order; each is its own test, so the report shows which
// steps hold, and a failed step leaves the workbench as clean as it can for the next one.
import assert from 'node:assert/strict';
import { after, before, describe, test, type TestContext } from 'node:test';
import { freePort } from './harness/code-server.js';
import { SCRIPT_FILE, startE2e, type E2eRun } from './harness/environment.js';
import { deliverTestMessage } from './harness/mail.js';
import { waitFor, type RenderedLine, type Workbench } from './harness/workbench.js';

const ALICE = { user: 'alice', password: 'alice-password', address: 'alice@example.test' };

let run: E2eRun | undefined;
let startError: unknown;

function current(): { run: E2eRun; wb: Workbench } {
  if (!run) throw new Error(`the workbench did not start: ${describeError(startError)}`);
  return { run, wb: run.workbench };
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Resets the workbench between steps: no open prompt, dialog, notification or editor. */
async function tidy(wb: Workbench): Promise<void> {
  await wb.closeQuickInput();
  if (await wb.dialogMessage()) await wb.page.keyboard.press('Escape');
  await wb.clearNotifications().catch(() => undefined);
  await wb.runCommand('View: Close All Editors').catch(() => undefined);
  await wb.closeQuickInput();
}

/** Saves a screenshot as a test artifact and names it in the report. */
async function shot(t: TestContext, wb: Workbench, name: string): Promise<void> {
  const file = await wb.screenshot(name);
  t.diagnostic(`screenshot: ${file}`);
}

/**
 * A step as its own test: on failure it saves a screenshot and the workbench's HTML (to see what
 * the user saw) before reporting, and it tidies the workbench for the next step either way.
 */
function step(name: string, body: (t: TestContext, run: E2eRun, wb: Workbench) => Promise<void>): void {
  test(name, async (t) => {
    const { run, wb } = current();
    try {
      await body(t, run, wb);
    } catch (error) {
      const slug = name.replace(/:.*/, '').replace(/\W+/g, '-');
      await shot(t, wb, `FAILED-${slug}`).catch(() => undefined);
      await wb.saveHtml(`FAILED-${slug}`).catch(() => undefined);
      throw error;
    } finally {
      await tidy(wb).catch(() => undefined);
    }
  });
}

/**
 * "Mailwire: Connect..." to a URL as a user does: Enter a URL..., the certificate choice (for TLS
 * URLs), the password prompt (when the URL names a user), and "not now" for saving it.
 */
async function connect(
  wb: Workbench,
  url: string,
  options: { certificate?: 'verify' | 'accept'; password?: string } = {},
): Promise<void> {
  await wb.runCommand('Mailwire: Connect...');
  await wb.waitForQuickInput('Mailwire: Connect');
  await wb.pickQuickItem('Enter a URL...');
  await wb.waitForQuickInput('Connect to a URL');
  await wb.typeIntoQuickInput(url);
  if (options.certificate) {
    await wb.waitForQuickInput('TLS certificate');
    await wb.pickQuickItem(
      options.certificate === 'accept' ? 'Accept an unverified certificate' : 'Verify the certificate',
    );
  }
  if (options.password !== undefined) {
    await wb.waitForQuickInput(/password for/);
    const type = await wb.quickInput().locator('input.input').getAttribute('type');
    assert.equal(type, 'password', 'the password prompt masks what is typed');
    await wb.typeIntoQuickInput(options.password);
    // "Save the password ...?" is modal; a user trying things out says no.
    await waitFor('the save-password question', async () => ((await wb.dialogMessage()) ? true : undefined));
    assert.match((await wb.dialogMessage()) ?? '', /Save the password/);
    await wb.clickDialogButton('Cancel');
  }
}

/** Every visible transcript line; fails the step if the password shows anywhere. */
async function transcriptLines(wb: Workbench): Promise<RenderedLine[]> {
  const lines = await wb.readEditorTokens();
  for (const line of lines)
    assert.ok(!line.text.includes(ALICE.password), `password in transcript: ${line.text}`);
  return lines;
}

describe('Mailwire in code-server and Chromium', { timeout: 9 * 60_000 }, () => {
  before(async () => {
    try {
      run = await startE2e();
      // Two messages in alice's INBOX, delivered over SMTP like any mail.
      await deliverTestMessage(run.sandbox.ports.smtp, 'Quarterly report', 'First message for the tree.');
      await deliverTestMessage(run.sandbox.ports.smtp, 'Lunch on Friday?', 'Second message.');
    } catch (error) {
      startError = error;
    }
  });

  after(async () => {
    await run?.stop();
  });

  test('the workbench starts with the packaged extension (fails, never skips, when it cannot)', () => {
    current();
  });

  step(
    'step 1: the Mailwire view appears; Connect over IMAP with STARTTLS, password from the prompt',
    async (t, run, wb) => {
      await wb.openView('Mailwire');
      const welcome = wb.page.locator('.welcome-view-content', { hasText: 'No sessions yet.' });
      await welcome.waitFor({ state: 'visible', timeout: 15_000 });
      await shot(t, wb, 'mailwire-view');

      await connect(wb, `imap://${ALICE.user}@127.0.0.1:${run.sandbox.ports.imap}?tls=starttls`, {
        certificate: 'accept',
        password: ALICE.password,
      });
      await waitFor('the transcript tab', async () =>
        /alice@127\.0\.0\.1/.test(await wb.activeTabTitle()) ? true : undefined,
      );
      await wb.waitForEditorLine(/C: \S+ STARTTLS/);
      await wb.waitForEditorLine(/-- (warning: )?TLS established/);
      // Logged in with the password from the prompt, which the transcript shows only as <redacted>.
      const login = await wb.waitForEditorLine(/C: \S+ (LOGIN|AUTHENTICATE)\b/, 15_000);
      assert.match(login.text, /<redacted>/);
      const tag = /C: (\S+) /.exec(login.text)?.[1] ?? '';
      await wb.waitForEditorLine(new RegExp(`S: ${tag} OK\\b`));
      await transcriptLines(wb);
      const rows = await wb.treeRows('Sessions');
      assert.ok(
        rows.some((r) => r.includes('alice@127.0.0.1')),
        `Sessions view lists the session: ${rows.join(' | ')}`,
      );
      await shot(t, wb, 'imap-connected');
    },
  );
});
