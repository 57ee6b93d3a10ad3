// "Send Line" completion over a real session with the sandbox: the hints come from what the
// session's state model learned from the server (LIST, PERMANENTFLAGS, capabilities, SASL).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox, type RunningSandbox } from '../../../src/sandbox/launcher.js';
import { openSession } from '../../../src/session/open.js';
import { hintsFromEntry, sendLineCompletions } from '../../../src/vscode/language-hints.js';
import { SessionManager } from '../../../src/vscode/session-manager.js';

describe('Send Line completion with a live session', () => {
  let sandbox: RunningSandbox;
  let certDir: string;
  const manager = new SessionManager();
  before(async () => {
    certDir = mkdtempSync(join(tmpdir(), 'mailwire-sendline-'));
    sandbox = await startSandbox({
      ports: { smtp: 0, smtps: 0, pop3: 0, pop3s: 0, imap: 0, imaps: 0 },
      certDir,
    });
  });
  after(async () => {
    manager.dispose();
    await sandbox?.stop();
    rmSync(certDir, { recursive: true, force: true });
  });

  const meta = { host: '127.0.0.1', port: 0, user: 'alice', profileName: undefined };
  const labels = (items: { label: string }[]) => items.map((i) => i.label);

  test('IMAP: verbs follow the session state; mailboxes from LIST and the mailbox flags complete arguments', async () => {
    const session = await openSession({ url: `imap://127.0.0.1:${sandbox.ports.imap}` });
    const entry = manager.add(session, meta);
    assert.ok(labels(sendLineCompletions(entry, 'x1 ')).includes('LOGIN'));
    assert.ok(!labels(sendLineCompletions(entry, 'x1 ')).includes('SELECT'), 'no SELECT before login');
    await session.sendRaw('x1 LOGIN alice alice-password');
    await session.sendRaw('x2 CREATE Projects');
    await session.sendRaw('x3 LIST "" "*"');
    const authed = labels(sendLineCompletions(entry, 'x4 '));
    assert.ok(authed.includes('SELECT') && !authed.includes('LOGIN') && !authed.includes('FETCH'));
    const boxes = labels(sendLineCompletions(entry, 'x4 SELECT '));
    assert.ok(boxes.includes('INBOX') && boxes.includes('Projects'), boxes.join(' '));
    assert.deepEqual(labels(sendLineCompletions(entry, 'x4 SELECT Pro')), ['Projects']);
    await session.sendRaw('x4 SELECT INBOX');
    const flags = labels(sendLineCompletions(entry, 'x5 STORE 1 +FLAGS ('));
    assert.ok(flags.includes('\\Flagged') && flags.includes('\\Seen'), flags.join(' '));
    assert.ok(labels(sendLineCompletions(entry, 'x5 ')).includes('FETCH'));
    // A verb typed without a tag gets the tag Send Line would use.
    assert.equal(sendLineCompletions(entry, 'NOO', 'L7')[0]?.insertText, 'L7 NOOP');
    const hints = hintsFromEntry(entry);
    assert.ok(
      hints.capabilities.some((c) => c.toUpperCase() === 'IDLE'),
      hints.capabilities.join(' '),
    );
    session.close('test done');
  });

  test('SMTP: AUTH completes the mechanisms the server advertised in EHLO', async () => {
    const session = await openSession({ url: `smtp://127.0.0.1:${sandbox.ports.smtp}` });
    const entry = manager.add(session, meta);
    await session.sendRaw('EHLO client.example');
    const advertised = hintsFromEntry(entry).saslMechanisms;
    assert.ok(advertised.length > 0, 'the sandbox advertises AUTH');
    assert.deepEqual(
      labels(sendLineCompletions(entry, 'AUTH ')),
      advertised.map((m) => m.toUpperCase()),
    );
    assert.ok(labels(sendLineCompletions(entry, '')).includes('MAIL'));
    session.close('test done');
  });

  test('without a state model the hints are empty, not an error', () => {
    assert.deepEqual(hintsFromEntry(undefined).mailboxes, []);
  });
});
