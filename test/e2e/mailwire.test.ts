// Mailwire in a real VS Code (code-server 4.100) in a real browser (Debian's Chromium), used the way
// a user does: palette commands, prompts, transcripts, the state view, scripts, and failures.
// Run by `npm run test:e2e` (scripts/e2e.mjs), which installs code-server and packages the .vsix.
// The steps share one workbench and run in order; each is its own test, so the report shows which
// steps hold, and a failed step leaves the workbench as clean as it can for the next one.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, describe, test, type TestContext } from 'node:test';
import { freePort } from './harness/code-server.js';
import { SCRIPT_FILE, startE2e, type E2eRun } from './harness/environment.js';
import { deliverTestMessage } from './harness/mail.js';
import type { SandboxUser } from '../../src/sandbox/store/types.js';
import { secretForms } from '../../src/transcript/redact.js';
import { waitFor, type RenderedLine, type RenderedToken, type Workbench } from './harness/workbench.js';

const ALICE = { user: 'alice', password: 'alice-password', address: 'alice@example.test' };

let run: E2eRun | undefined;
let startError: unknown;

let startReported = false;

function current(): { run: E2eRun; wb: Workbench } {
  if (!run) {
    // The whole reason once (it carries code-server's or Chromium's output), then a pointer to it.
    if (startReported) throw new Error('not run: the workbench did not start (see the first failure)');
    startReported = true;
    throw new Error(`the workbench did not start: ${describeError(startError)}`);
  }
  return { run, wb: run.workbench };
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Saves a screenshot as a test artifact and names it in the report. */
async function shot(t: TestContext, wb: Workbench, name: string): Promise<void> {
  // Notifications slide and fade in; let them settle so the picture shows what a user reads.
  await wb.page.waitForTimeout(400);
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
      await wb.tidy().catch(() => undefined);
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

/**
 * Runs a palette verb and answers its prompts in order: a string is typed, null accepts the
 * default (Enter), as a user does. `session` answers the "which session?" pick when several are open.
 */
async function verb(
  wb: Workbench,
  title: string,
  answers: ReadonlyArray<string | null>,
  session?: string,
): Promise<void> {
  await wb.runCommand(title);
  const label = title.replace(/\.\.\.$/, '');
  for (const answer of answers) {
    await wb.waitForQuickInput(new RegExp(`^${escapeRegExp(label)}\\b`));
    if (session && /which session\?/.test(await wb.quickInputTitle())) {
      await wb.pickQuickItemContaining(session);
      await wb.waitForQuickInput(new RegExp(`^${escapeRegExp(label)}$`));
    }
    const before = await wb.quickInputPrompt();
    if (answer === null) await wb.quickInput().locator('input.input').press('Enter');
    else await wb.typeIntoQuickInput(answer);
    await waitFor(`"${title}" to take the answer to "${before}"`, async () =>
      !(await wb.quickInput().isVisible()) || (await wb.quickInputPrompt()) !== before ? true : undefined,
    ).catch(async (error: unknown) => {
      throw new Error(`${describeError(error)}; the prompt says: ${await wb.quickInputMessage()}`);
    });
  }
  if (session && (await wb.quickInput().isVisible()) && /which session\?/.test(await wb.quickInputTitle())) {
    await wb.pickQuickItemContaining(session);
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The rendered token of `line` holding exactly `word` (after the `S: tag ` prefix). */
function tokenOf(line: RenderedLine, word: string): RenderedToken {
  const token = line.tokens.find((t) => t.text.trim() === word);
  assert.ok(
    token,
    `"${word}" is its own token in: ${line.text} (tokens: ${line.tokens.map((t) => t.text).join('|')})`,
  );
  return token;
}

/** The color plain text is painted in (the token holding the server's free text). */
function plainColor(line: RenderedLine): string {
  const last = line.tokens.at(-1);
  assert.ok(last);
  return last.color;
}

/** Checks the grammar colored a status word: its own token, in a color unlike the plain text. */
function assertStatusColored(line: RenderedLine, word: string, expected: 'ok' | 'no' | 'bad'): RenderedToken {
  const token = tokenOf(line, word);
  const plain = plainColor(line);
  assert.notEqual(token.color, plain, `"${word}" is colored unlike the text after it in: ${line.text}`);
  assert.notEqual(token.className, line.tokens.at(-1)?.className, `"${word}" has its own token class`);
  const [r, g, b] = rgb(token.color);
  // The theme decides the hue; the grammar's OK is markup.inserted, which themes paint green.
  if (expected === 'ok') assert.ok(g > r && g > b, `OK looks green: ${token.color}`);
  return token;
}

function rgb(color: string): [number, number, number] {
  const m = /rgba?\((\d+), (\d+), (\d+)/.exec(color);
  assert.ok(m, `a CSS color: ${color}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
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

  step(
    'step 2: IMAP List, Select INBOX and Fetch from the palette, colored in the transcript',
    async (t, run, wb) => {
      await wb.runCommand('Mailwire: Open Transcript');
      await pickSessionIfAsked(wb, 'alice@127.0.0.1');
      // Each status word is checked as soon as its line shows (the editor draws only the lines in
      // view, and tokenizes in the background, so a new line may be plain for a moment).
      const colored = (pattern: RegExp, word: string, expected: 'ok' | 'no') =>
        waitFor(`"${word}" colored in a line matching ${String(pattern)}`, async () => {
          const line = await wb.waitForEditorLine(pattern, 15_000, true);
          const token = assertStatusColored(line, word, expected);
          const marker = tokenOf(line, 'S:');
          assert.notEqual(marker.color, plainColor(line), `S: is colored in: ${line.text}`);
          return token;
        });
      await verb(wb, 'IMAP: List...', [null, null]);
      await wb.waitForEditorLine(/S: \* LIST \([^)]*\) "?\/?"? "?INBOX"?/i, 15_000, true);
      const listOk = await colored(/S: \S+ OK LIST\b/i, 'OK', 'ok');
      // A refusal first, to see the grammar paint NO unlike OK (a failed SELECT leaves no mailbox
      // selected, so INBOX is selected after it).
      await verb(wb, 'IMAP: Select...', ['No/Such/Folder']);
      const noToken = await colored(/S: \S+ NO\b/, 'NO', 'no');
      await verb(wb, 'IMAP: Select...', ['INBOX']);
      await wb.waitForEditorLine(/S: \* 2 EXISTS/, 15_000, true);
      const selectOk = await colored(/S: \S+ OK \[READ-WRITE\]/, 'OK', 'ok');
      await waitFor('C: colored in the SELECT INBOX line', async () => {
        const line = await wb.waitForEditorLine(/C: \S+ SELECT INBOX/, 15_000, true);
        assert.notEqual(tokenOf(line, 'C:').color, plainColor(line), `C: is colored in: ${line.text}`);
        return true;
      });
      await verb(wb, 'IMAP: Fetch...', [null, null, null]);
      await wb.waitForEditorLine(/S: \* 1 FETCH \(/, 15_000, true);
      const fetchOk = await colored(/S: \S+ OK FETCH\b/i, 'OK', 'ok');

      const okColors = [listOk, selectOk, fetchOk].map((token) => token.color);
      assert.equal(new Set(okColors).size, 1, `every OK is painted alike: ${okColors.join(', ')}`);
      assert.notEqual(noToken.color, okColors[0], 'NO is painted unlike OK');
      await transcriptLines(wb);
      await wb.page.locator('.editor-group-container.active .monaco-editor .view-lines').first().click();
      await wb.page.keyboard.press('Control+End');
      await shot(t, wb, 'imap-transcript');
      t.diagnostic(`OK ${okColors[0] ?? ''}, NO ${noToken.color}`);
      void run;
    },
  );

  step(
    'step 3: the state view shows mailboxes and messages, and IDLE brings in mail sent over SMTP',
    async (t, run, wb) => {
      await wb.runCommand('Mailwire: Show Session State');
      await pickSessionIfAsked(wb, 'alice@127.0.0.1');
      const view = wb.webview();
      await waitFor('the state view to list INBOX', async () =>
        /INBOX/.test((await view.locator('body').textContent()) ?? '') ? true : undefined,
      );
      await view
        .getByText('Messages', { exact: true })
        .first()
        .click()
        .catch(() => undefined);
      await waitFor('the message table to show both subjects', async () => {
        const text = (await view.locator('body').textContent()) ?? '';
        return text.includes('Quarterly report') && text.includes('Lunch on Friday?') ? true : undefined;
      });
      await shot(t, wb, 'state-view');

      await verb(wb, 'IMAP: Idle', [], 'alice@127.0.0.1');
      await connect(wb, `smtp://bob@127.0.0.1:${run.sandbox.ports.smtp}?tls=starttls`, {
        certificate: 'accept',
        password: 'bob-password',
      });
      await wb.waitForEditorLine(/S: 235\b/, 15_000, true);
      await verb(
        wb,
        'SMTP: Send Test Message...',
        ['bob@example.test', ALICE.address, 'Sent during IDLE'],
        'bob@',
      );
      await wb.scrollEditorToEnd();
      await wb.waitForEditorLine(/S: 250 .*(queued|accepted|Message)/i, 15_000, true);
      // Back to alice's IMAP session (a click in the Sessions view): IDLE has heard of the message.
      await wb.openView('Mailwire');
      await wb.clickTreeRow('Sessions', 'IMAP alice@');
      await waitFor('the IMAP transcript', async () =>
        /IMAP alice@/.test(await wb.activeTabTitle()) ? true : undefined,
      );
      await wb.scrollEditorToEnd();
      await wb.waitForEditorLine(/S: \* 3 EXISTS/, 20_000, true);
      await wb.runCommand('Mailwire: Show Session State');
      await waitFor(
        'the state view to show the third message',
        async () => {
          const text = (await wb.webview().locator('body').textContent()) ?? '';
          return /IMAP alice@/.test(text) && (/Sent during IDLE/.test(text) || /EXISTS\s*3(?!\d)/.test(text))
            ? true
            : undefined;
        },
        20_000,
      );
      await shot(t, wb, 'state-view-idle');
    },
  );

  step('step 4: POP3 DELE marks a message in the state view; QUIT deletes it', async (t, run, wb) => {
    const inbox = run.sandbox.store.mailboxes(userNamed(run, 'alice')).folder('INBOX');
    assert.ok(inbox);
    const before = inbox.messages().length;
    await connect(wb, `pop3://alice@127.0.0.1:${run.sandbox.ports.pop3}?tls=starttls`, {
      certificate: 'accept',
      password: ALICE.password,
    });
    await wb.waitForEditorLine(/C: PASS <redacted>/);
    await wb.waitForEditorLine(new RegExp(`S: \\+OK .*\\b${before} messages`));
    await verb(wb, 'POP3: List...', [null], 'pop3');
    await wb.waitForEditorLine(/C: LIST$/, 15_000, true);
    await verb(wb, 'POP3: Dele...', ['1'], 'pop3');
    await wb.waitForEditorLine(/S: \+OK .*\bdeleted\b/i, 15_000, true);
    await wb.runCommand('Mailwire: Show Session State');
    await pickSessionIfAsked(wb, 'pop3');
    const view = wb.webview();
    await waitFor(`the maildrop to list ${before} messages, message 1 marked deleted`, async () => {
      const text = (await view.locator('body').textContent()) ?? '';
      return new RegExp(`Messages \\(${before}\\)`).test(text) && /1 message marked deleted/.test(text)
        ? true
        : undefined;
    }).catch(async (error: unknown) => {
      const text = (await view.locator('body').textContent()) ?? '';
      throw new Error(`${describeError(error)}; the view shows: ${text.slice(0, 1500)}`);
    });
    const marked = view.locator('text=marked deleted');
    assert.ok((await marked.count()) >= 1, 'the message row carries a "marked deleted" tag');
    await shot(t, wb, 'pop3-marked');
    assert.equal(inbox.messages().length, before, 'DELE only marks; the message is still on the server');
    await verb(wb, 'POP3: Quit', [], 'pop3');
    await waitFor('QUIT to apply the deletion', () =>
      Promise.resolve(inbox.messages().length === before - 1 ? true : undefined),
    );
  });

  step('step 5: a .imap script runs from its CodeLens and shows pass and fail', async (t, _run, wb) => {
    await openWorkspaceFile(wb, SCRIPT_FILE);
    const lens = wb.page.locator('.codelens-decoration a', { hasText: 'Run Script' }).first();
    await lens.waitFor({ state: 'visible', timeout: 15_000 });
    await lens.click();
    // Each expectation gets a mark after its line: a check when it held, a cross when it failed.
    const failedLine = await waitFor(
      'a failure mark on the deliberately wrong expectation',
      async () => {
        const lines = await wb.readEditorTokens();
        const wrong = lines.find((l) => l.text.startsWith('S: a4 NO'));
        return wrong && wrong.decorations.some((d) => d.includes('✗')) ? wrong : undefined;
      },
      30_000,
    ).catch(async (error: unknown) => {
      const lines = await wb.readEditorTokens();
      const marks = lines.map((l) => `${l.text} ${l.decorations.join(' ')}`).join('\n');
      throw new Error(`${describeError(error)}; the script shows:\n${marks}`);
    });
    const lines = await wb.readEditorTokens();
    const passed = lines.filter((l) => l.decorations.some((d) => d.includes('✓')));
    assert.ok(
      passed.some((l) => l.text.startsWith('S: a1 OK')) && passed.some((l) => l.text.startsWith('S: a2 OK')),
      `the expectations that hold are marked as passed: ${passed.map((l) => l.text).join(' | ')}`,
    );
    t.diagnostic(`failure mark: ${failedLine.decorations.join(' ')}`);
    await shot(t, wb, 'script-run');
  });

  step(
    'step 5 (palette): Mailwire: Run Script runs the .imap script and reports pass and fail',
    async (t, _run, wb) => {
      await openWorkspaceFile(wb, SCRIPT_FILE);
      await wb.runCommand('Mailwire: Run Script');
      const n = await wb.waitForNotification(/inbox-check\.imap: \d+ passed, \d+ failed/, 30_000);
      const [, passed, failed] = /(\d+) passed, (\d+) failed/.exec(n.message) ?? [];
      assert.ok(Number(passed) >= 5, `the expectations that hold pass: ${n.message}`);
      assert.equal(Number(failed), 1, `the deliberately wrong one fails: ${n.message}`);
      assert.equal(n.severity, 'error', 'a failed run is reported as an error');
      await shot(t, wb, 'script-run-palette');
    },
  );

  step('step 6a: a wrong password says so and leaves no broken session', async (t, run, wb) => {
    const before = await sessionRows(wb);
    await connect(wb, `imap://alice@127.0.0.1:${run.sandbox.ports.imap}?tls=starttls`, {
      certificate: 'accept',
      password: 'not-the-password',
    });
    const n = await wb.waitForNotification(/authenticat|login|password|credentials/i);
    assert.equal(n.severity, 'error', `an error notification: ${n.message}`);
    assert.ok(!n.message.includes('not-the-password'), 'the notification does not echo the password');
    await wb.waitForEditorLine(/S: \S+ NO \[AUTHENTICATIONFAILED\]/, 15_000, true);
    await shot(t, wb, 'bad-password');
    // The connection may stay open, unauthenticated (the user can log in again), but then it must
    // say so and still answer; otherwise it must be closed.
    const added = await newSessionRows(wb, before);
    assert.equal(added.length, 1, `one new session row: ${added.join(' | ')}`);
    const row = added[0] ?? '';
    if (!/\bclosed\b/.test(row)) {
      assert.match(row, /not-authenticated/, `the session row tells the state: ${row}`);
      await verb(wb, 'IMAP: Noop', []);
      await wb.scrollEditorToEnd();
      await wb.waitForEditorLine(/S: \S+ OK NOOP/i, 15_000, true);
      await wb.runCommand('Mailwire: Disconnect');
      await pickSessionIfAsked(wb, 'not-authenticated');
      await waitFor('the session to close', async () => {
        const rows = await newSessionRows(wb, before);
        return rows.every((r) => /\bclosed\b/.test(r)) ? true : undefined;
      });
    }
  });

  step('step 6b: connection refused says so and leaves no live session', async (t, _run, wb) => {
    const port = await freePort();
    const before = await sessionRows(wb);
    await connect(wb, `imap://127.0.0.1:${port}?tls=starttls`, { certificate: 'accept' });
    const n = await wb.waitForNotification(/refused/i);
    assert.equal(n.severity, 'error', `an error notification: ${n.message}`);
    assert.match(n.message, new RegExp(`127\\.0\\.0\\.1:${port}`));
    await shot(t, wb, 'connection-refused');
    await assertNoNewLiveSession(wb, before);
  });

  step('step 6c: an untrusted certificate says why and leaves no live session', async (t, run, wb) => {
    const before = await sessionRows(wb);
    await connect(wb, `imaps://127.0.0.1:${run.sandbox.ports.imaps}`, { certificate: 'verify' });
    const n = await wb.waitForNotification(/certificate/i);
    assert.equal(n.severity, 'error', `an error notification: ${n.message}`);
    assert.match(n.message, /self-signed|not trusted|verify/i);
    await shot(t, wb, 'untrusted-certificate');
    await assertNoNewLiveSession(wb, before);
  });

  step(
    'step 7: no password is in any file VS Code wrote (the Mailwire log, settings, state, transcripts)',
    async (t, run) => {
      // Let the output channel's buffered log reach its file.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const secrets = ['alice-password', 'bob-password', 'not-the-password'];
      const forms = secrets.flatMap((s) => secretForms(s));
      const files: string[] = [];
      const walk = (dir: string) => {
        for (const name of readdirSync(dir)) {
          const path = join(dir, name);
          const st = statSync(path);
          if (st.isDirectory()) walk(path);
          // Extensions and caches are code, not what the session wrote.
          else if (
            st.isFile() &&
            st.size < 64 * 1024 * 1024 &&
            !path.includes(`${join('', 'CachedExtension')}`)
          )
            files.push(path);
        }
      };
      // Everything the run wrote: user data (logs, settings, state) and the transcript folder;
      // not the workspace (the sample script sets the sandbox's public password on purpose) and
      // not the installed extension (the sandbox bundle carries its default users).
      const root = dirname(run.codeServer.userDataDir);
      for (const name of readdirSync(root)) {
        if (name === 'workspace' || name === 'extensions' || name === 'sandbox-cert') continue;
        const path = join(root, name);
        if (statSync(path).isDirectory()) walk(path);
      }
      // The extension's own log exists and has the session in it, so this search is not vacuous.
      const logs = files.filter((f) => /Mailwire\.log$/.test(f));
      assert.ok(
        logs.length > 0,
        `the Mailwire output channel log is under the user data folder (${files.length} files)`,
      );
      assert.ok(
        logs.some((f) => /connecting to imap:\/\/127\.0\.0\.1/.test(readFileSync(f, 'latin1'))),
        'the log records the sessions',
      );
      const transcripts = files.filter((f) => f.endsWith('.jsonl'));
      assert.ok(transcripts.length > 0, 'live transcript files were written');
      for (const f of files) {
        const text = readFileSync(f, 'latin1');
        for (const form of forms) assert.ok(!text.includes(form), `${f} holds a form of a password`);
      }
      t.diagnostic(
        `searched ${files.length} files (${logs.length} Mailwire logs, ${transcripts.length} transcripts) for ${forms.length} forms of ${secrets.length} passwords`,
      );
    },
  );
});

function userNamed(run: E2eRun, name: string): SandboxUser {
  const user = run.sandbox.store.userByName(name);
  assert.ok(user, `sandbox user ${name}`);
  return user;
}

/** Opens a workspace file through Quick Open (Ctrl+P), as a user does. */
async function openWorkspaceFile(wb: Workbench, name: string): Promise<void> {
  await wb.closeQuickInput();
  await wb.page.keyboard.press('Control+P');
  await wb.quickInput().locator('input.input').fill(name);
  await wb.pickQuickItem(name);
  await waitFor(`the editor tab ${name}`, async () =>
    (await wb.activeTabTitle()).includes(name) ? true : undefined,
  );
  await wb.waitForEditorLine(/^@connect imap:/);
}

/** Answers the "which session?" pick some commands open when several sessions exist. */
async function pickSessionIfAsked(wb: Workbench, session: string): Promise<void> {
  const asked = await waitFor(
    'a session pick',
    async () =>
      (await wb.quickInput().isVisible()) && /which session|choose a session/.test(await wb.quickInputTitle())
        ? true
        : undefined,
    1_500,
  ).catch(() => false);
  if (asked) await wb.pickQuickItemContaining(session);
}

/** The sessions the Sessions view lists now. */
async function sessionRows(wb: Workbench): Promise<string[]> {
  await wb.openView('Mailwire');
  return wb.treeRows('Sessions');
}

/** Rows of the Sessions view beyond those listed in `before` (rows are never reordered). */
async function newSessionRows(wb: Workbench, before: readonly string[]): Promise<string[]> {
  const rows = await sessionRows(wb);
  return rows.slice(before.length);
}

/**
 * The failed attempt left nothing half-open: no more live sessions than before it, and if the
 * attempt is still listed, it is listed as closed.
 */
async function assertNoNewLiveSession(wb: Workbench, before: readonly string[]): Promise<void> {
  const live = (rows: readonly string[]) => rows.filter((r) => !/\bclosed\b/i.test(r));
  const closed = (rows: readonly string[]) => rows.length - live(rows).length;
  const rows = await waitFor('the failed session to close', async () => {
    const now = await sessionRows(wb);
    return live(now).length <= live(before).length ? now : undefined;
  }).catch(async () => {
    throw new Error(
      `a session is still open after the failure: before ${before.join(' | ')}; now ${(await sessionRows(wb)).join(' | ')}`,
    );
  });
  assert.equal(
    rows.length - before.length,
    closed(rows) - closed(before),
    'every new row is a closed session',
  );
}
